namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>
/// Alert metrics of a risk score at one threshold (a decision point alerts when score ≥ threshold), each as a
/// <see cref="WeightedStatistic"/> for the patient cluster bootstrap (evaluate on all-ones weights for the point
/// value). Definitions:
/// <list type="bullet">
/// <item>alert rate: alerted decision points / decision points;</item>
/// <item>unit sensitivity: units with an onset that alerted at some decision point at or before the onset / units with an onset;</item>
/// <item>alert PPV: alerted decision points whose label is positive (event within the horizon) / alerted decision points;</item>
/// <item>unit PPV: units with an onset that alerted at or before it / units that alerted at least once;</item>
/// <item>alerts per 100 patient-days: alerted decision points / (Σ hours covered / 24) × 100;</item>
/// <item>number needed to evaluate: 1 / alert PPV (alerts a clinician reviews per true alert);</item>
/// <item>median lead time: median over detected units of onset − time of the first alert (hours);</item>
/// <item>net benefit (Vickers &amp; Elkin 2006) at p_t = threshold, over decision points: TP/n − FP/n · p_t/(1 − p_t);
/// treat-all: prevalence − (1 − prevalence) · p_t/(1 − p_t); treat-none is 0.</item>
/// </list>
/// Undefined values (no positive unit, no alert, threshold outside (0, 1) for net benefit) are NaN.
/// </summary>
public sealed class ThresholdEvaluation
{
    private readonly DecisionPointSet _set;
    private readonly bool[] _alerted;
    private readonly bool[] _unitAlerted;
    private readonly bool[] _unitDetected;
    private readonly int[] _detectedByLead;   // detected units sorted by lead time
    private readonly double[] _unitLead;

    /// <summary>Marks the alerts at <paramref name="threshold"/> and, per unit, whether and when it alerted before its onset.</summary>
    public ThresholdEvaluation(DecisionPointSet set, double threshold)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (!double.IsFinite(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be finite.");
        }

        _set = set;
        Threshold = threshold;
        int n = set.Count, units = set.UnitCount;
        _alerted = new bool[n];
        _unitAlerted = new bool[units];
        _unitDetected = new bool[units];
        double[] firstAlert = Enumerable.Repeat(double.PositiveInfinity, units).ToArray();
        for (int i = 0; i < n; i++)
        {
            if (set.Scores[i] < threshold)
            {
                continue;
            }

            _alerted[i] = true;
            int u = set.UnitOf[i];
            _unitAlerted[u] = true;
            double onset = set.UnitOnset[u];
            if (!double.IsNaN(onset) && set.TimeHours[i] <= onset)
            {
                _unitDetected[u] = true;
                firstAlert[u] = Math.Min(firstAlert[u], set.TimeHours[i]);
            }
        }

        _unitLead = new double[units];
        for (int u = 0; u < units; u++)
        {
            _unitLead[u] = _unitDetected[u] ? set.UnitOnset[u] - firstAlert[u] : double.NaN;
        }

        _detectedByLead = Enumerable.Range(0, units).Where(u => _unitDetected[u]).OrderBy(u => _unitLead[u]).ThenBy(u => u).ToArray();
        Alerts = _alerted.Count(a => a);
        AlertedUnits = _unitAlerted.Count(a => a);
        DetectedUnits = _detectedByLead.Length;
    }

    /// <summary>Alerts fire at score ≥ this value.</summary>
    public double Threshold { get; }

    /// <summary>Alerted decision points.</summary>
    public int Alerts { get; }

    /// <summary>Units with at least one alert.</summary>
    public int AlertedUnits { get; }

    /// <summary>Units with an onset alerted at or before it.</summary>
    public int DetectedUnits { get; }

    /// <summary>Alerted decision points / decision points.</summary>
    public WeightedStatistic AlertRate => w => Ratio(w, i => _alerted[i], _ => true);

    /// <summary>Units alerted at or before their onset / units with an onset.</summary>
    public WeightedStatistic SensitivityUnits => w => UnitRatio(w, u => _unitDetected[u], u => !double.IsNaN(_set.UnitOnset[u]));

    /// <summary>Positive alerted decision points / alerted decision points.</summary>
    public WeightedStatistic PpvAlerts => w => Ratio(w, i => _set.Labels[i], i => _alerted[i]);

    /// <summary>Units alerted at or before their onset / units alerted at least once.</summary>
    public WeightedStatistic PpvUnits => w => UnitRatio(w, u => _unitDetected[u], u => _unitAlerted[u]);

    /// <summary>1 / alert PPV; NaN when no alert is positive.</summary>
    public WeightedStatistic NumberNeededToEvaluate => w =>
    {
        double ppv = Ratio(w, i => _set.Labels[i], i => _alerted[i]);
        return ppv > 0.0 ? 1.0 / ppv : double.NaN;
    };

    /// <summary>Alerted decision points per 100 days of covered stay.</summary>
    public WeightedStatistic AlertsPer100PatientDays => w =>
    {
        double alerts = 0.0, hours = 0.0;
        for (int i = 0; i < _set.Count; i++)
        {
            hours += w[i] * _set.ExposureHours[i];
            if (_alerted[i])
            {
                alerts += w[i];
            }
        }

        return hours > 0.0 ? alerts / (hours / 24.0) * 100.0 : double.NaN;
    };

    /// <summary>Median lead time of detected units; with frequency weights, the median of the expanded sample (numpy).</summary>
    public WeightedStatistic MedianLeadTimeHours => w =>
    {
        long total = 0;
        foreach (int u in _detectedByLead)
        {
            total += w[_set.UnitFirstItem[u]];
        }

        if (total == 0)
        {
            return double.NaN;
        }

        double low = double.NaN, high = double.NaN;
        long lowRank = (total - 1) / 2, highRank = total / 2, seen = 0;
        foreach (int u in _detectedByLead)
        {
            long next = seen + w[_set.UnitFirstItem[u]];
            if (double.IsNaN(low) && lowRank < next)
            {
                low = _unitLead[u];
            }

            if (highRank < next)
            {
                high = _unitLead[u];
                break;
            }

            seen = next;
        }

        return (low + high) / 2.0;
    };

    /// <summary>Net benefit of alerting by the model at p_t = threshold.</summary>
    public WeightedStatistic NetBenefit => w => NetBenefitOf(w, model: true);

    /// <summary>Net benefit of alerting on every decision point at p_t = threshold.</summary>
    public WeightedStatistic NetBenefitTreatAll => w => NetBenefitOf(w, model: false);

    /// <summary>
    /// Time-to-detection curve: for each lead time h (0 and every observed lead), the share of units with an onset
    /// that alerted at least h hours before it. At h = 0 it is the unit sensitivity.
    /// </summary>
    public IReadOnlyList<DetectionPoint> TimeToDetection()
    {
        int positives = _set.PositiveUnitCount;
        if (positives == 0)
        {
            return [];
        }

        var hours = _detectedByLead.Select(u => _unitLead[u]).Prepend(0.0).Distinct().Order().ToArray();
        var leads = _detectedByLead.Select(u => _unitLead[u]).ToArray();
        return hours.Select(h => new DetectionPoint(h, (double)leads.Count(l => l >= h) / positives)).ToArray();
    }

    private double NetBenefitOf(ReadOnlySpan<int> w, bool model)
    {
        double pt = Threshold;
        if (!(pt > 0.0 && pt < 1.0))
        {
            return double.NaN;
        }

        double n = 0.0, tp = 0.0, fp = 0.0, events = 0.0;
        for (int i = 0; i < _set.Count; i++)
        {
            n += w[i];
            bool treated = !model || _alerted[i];
            if (_set.Labels[i])
            {
                events += w[i];
                if (treated)
                {
                    tp += w[i];
                }
            }
            else if (treated)
            {
                fp += w[i];
            }
        }

        return n > 0.0 ? (tp / n) - (fp / n * (pt / (1.0 - pt))) : double.NaN;
    }

    private double Ratio(ReadOnlySpan<int> w, Func<int, bool> hit, Func<int, bool> counted)
    {
        double hits = 0.0, total = 0.0;
        for (int i = 0; i < _set.Count; i++)
        {
            if (counted(i))
            {
                total += w[i];
                if (hit(i))
                {
                    hits += w[i];
                }
            }
        }

        return total > 0.0 ? hits / total : double.NaN;
    }

    private double UnitRatio(ReadOnlySpan<int> w, Func<int, bool> hit, Func<int, bool> counted)
    {
        double hits = 0.0, total = 0.0;
        for (int u = 0; u < _set.UnitCount; u++)
        {
            if (counted(u))
            {
                double weight = w[_set.UnitFirstItem[u]];
                total += weight;
                if (hit(u))
                {
                    hits += weight;
                }
            }
        }

        return total > 0.0 ? hits / total : double.NaN;
    }
}
