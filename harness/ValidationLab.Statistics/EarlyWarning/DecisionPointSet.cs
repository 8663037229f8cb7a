using System.Globalization;

namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>
/// The decision points of a replayed cohort as parallel arrays: score, label (event within the horizon), patient
/// (the bootstrap cluster), unit (the admission or encounter a label belongs to; nested in one patient), decision
/// time and the unit's outcome onset in hours on one clock (NaN onset: the unit had no event), and the hours each
/// decision point covers (for alert burden per patient-day). Validated once; the threshold metrics and curves read it.
/// </summary>
public sealed class DecisionPointSet
{
    /// <summary>Checks the arrays (same length, finite, units nested in patients) and indexes the units.</summary>
    public DecisionPointSet(double[] scores, bool[] labels, int[] patients, int[] units, double[] timeHours, double[] onsetHours, double[] exposureHours)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(patients);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(timeHours);
        ArgumentNullException.ThrowIfNull(onsetHours);
        ArgumentNullException.ThrowIfNull(exposureHours);
        int n = scores.Length;
        if (n == 0)
        {
            throw new ArgumentException("Need at least one decision point.", nameof(scores));
        }

        Guard.SameLength(n, labels.Length, nameof(scores), nameof(labels));
        Guard.SameLength(n, patients.Length, nameof(scores), nameof(patients));
        Guard.SameLength(n, units.Length, nameof(scores), nameof(units));
        Guard.SameLength(n, timeHours.Length, nameof(scores), nameof(timeHours));
        Guard.SameLength(n, onsetHours.Length, nameof(scores), nameof(onsetHours));
        Guard.SameLength(n, exposureHours.Length, nameof(scores), nameof(exposureHours));
        Guard.Finite(scores, nameof(scores));
        Guard.Finite(timeHours, nameof(timeHours));
        Guard.Finite(exposureHours, nameof(exposureHours));
        if (exposureHours.Any(e => e < 0.0))
        {
            throw new ArgumentException("Exposure hours must be non-negative.", nameof(exposureHours));
        }

        Scores = scores;
        Labels = labels;
        Patients = patients;
        TimeHours = timeHours;
        ExposureHours = exposureHours;

        // Dense unit index, one representative decision point per unit (its weight is the unit's weight in a cluster
        // resample: units are nested in patients, so all its decision points share the patient's multiplicity).
        var dense = new Dictionary<int, int>();
        UnitOf = new int[n];
        var first = new List<int>();
        var onset = new List<double>();
        var patientOfUnit = new List<int>();
        var firstTime = new List<double>();
        for (int i = 0; i < n; i++)
        {
            if (!dense.TryGetValue(units[i], out int u))
            {
                u = dense.Count;
                dense.Add(units[i], u);
                first.Add(i);
                onset.Add(double.NaN);
                patientOfUnit.Add(patients[i]);
                firstTime.Add(timeHours[i]);
            }
            else if (patientOfUnit[u] != patients[i])
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Unit {units[i]} belongs to patients {patientOfUnit[u]} and {patients[i]}; a unit must be nested in one patient."),
                    nameof(units));
            }

            UnitOf[i] = u;
            firstTime[u] = Math.Min(firstTime[u], timeHours[i]);
            if (!double.IsNaN(onsetHours[i]))
            {
                if (double.IsInfinity(onsetHours[i]))
                {
                    throw new ArgumentException("Onset hours must be finite or NaN (no event).", nameof(onsetHours));
                }

                // The unit's onset is its earliest recorded onset (all its decision points should agree).
                onset[u] = double.IsNaN(onset[u]) ? onsetHours[i] : Math.Min(onset[u], onsetHours[i]);
            }
        }

        // A unit whose onset precedes its first decision point cannot be alerted before the onset by any model: it is
        // a cohort problem, not a missed detection, so it does not count as a positive unit (and is counted apart).
        for (int u = 0; u < onset.Count; u++)
        {
            if (onset[u] < firstTime[u])
            {
                onset[u] = double.NaN;
                UnitsWithOnsetBeforeFirstDecisionPoint++;
            }
        }

        UnitFirstItem = [.. first];
        UnitOnset = [.. onset];
        PatientCount = patients.Distinct().Count();
    }

    /// <summary>Risk score per decision point (higher = more likely event).</summary>
    public double[] Scores { get; }

    /// <summary>True when the event happened within the horizon after the decision time.</summary>
    public bool[] Labels { get; }

    /// <summary>Patient (bootstrap cluster) per decision point.</summary>
    public int[] Patients { get; }

    /// <summary>Decision time in hours on the same clock as the onsets.</summary>
    public double[] TimeHours { get; }

    /// <summary>Hours of stay each decision point covers.</summary>
    public double[] ExposureHours { get; }

    /// <summary>Number of decision points.</summary>
    public int Count => Scores.Length;

    /// <summary>Number of distinct patients (bootstrap clusters).</summary>
    public int PatientCount { get; }

    /// <summary>Number of distinct units.</summary>
    public int UnitCount => UnitFirstItem.Length;

    /// <summary>Units whose onset precedes their first decision point: not counted as positive units.</summary>
    public int UnitsWithOnsetBeforeFirstDecisionPoint { get; }

    /// <summary>Units with an outcome onset at or after their first decision point.</summary>
    public int PositiveUnitCount => UnitOnset.Count(o => !double.IsNaN(o));

    /// <summary>1/n_i for each decision point, n_i the decision points of its patient: each patient weighs 1 in total.</summary>
    public double[] PatientWeights()
    {
        var perPatient = new Dictionary<int, int>();
        foreach (int p in Patients)
        {
            perPatient[p] = perPatient.GetValueOrDefault(p) + 1;
        }

        return Patients.Select(p => 1.0 / perPatient[p]).ToArray();
    }

    internal int[] UnitOf { get; }

    internal int[] UnitFirstItem { get; }

    internal double[] UnitOnset { get; }
}
