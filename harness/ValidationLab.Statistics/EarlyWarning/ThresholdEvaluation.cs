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

    // 0/1 indicators as doubles so that every statistic is a branch-free weighted sum over arrays.
    private readonly double[] _one;
    private readonly double[] _labelValue;
    private readonly double[] _alertValue;
    private readonly double[] _alertPositiveValue;
    private readonly double[] _unitPositiveValue;
    private readonly double[] _unitDetectedValue;
    private readonly double[] _unitAlertedValue;

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
        _one = Enumerable.Repeat(1.0, n).ToArray();
        _labelValue = set.Labels.Select(l => l ? 1.0 : 0.0).ToArray();
        _alertValue = _alerted.Select(a => a ? 1.0 : 0.0).ToArray();
        _alertPositiveValue = Enumerable.Range(0, n).Select(i => _alerted[i] && set.Labels[i] ? 1.0 : 0.0).ToArray();
        _unitPositiveValue = set.UnitOnset.Select(o => double.IsNaN(o) ? 0.0 : 1.0).ToArray();
        _unitDetectedValue = _unitDetected.Select(d => d ? 1.0 : 0.0).ToArray();
        _unitAlertedValue = _unitAlerted.Select(a => a ? 1.0 : 0.0).ToArray();
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
    public WeightedStatistic AlertRate => w => Sums(w, _alertValue, _one);

    /// <summary>Units alerted at or before their onset / units with an onset.</summary>
    public WeightedStatistic SensitivityUnits => w => UnitSums(w, _unitDetectedValue, _unitPositiveValue);

    /// <summary>Positive alerted decision points / alerted decision points.</summary>
    public WeightedStatistic PpvAlerts => w => Sums(w, _alertPositiveValue, _alertValue);

    /// <summary>Units alerted at or before their onset / units alerted at least once.</summary>
    public WeightedStatistic PpvUnits => w => UnitSums(w, _unitDetectedValue, _unitAlertedValue);

    /// <summary>1 / alert PPV; NaN when no alert is positive.</summary>
    public WeightedStatistic NumberNeededToEvaluate => w =>
    {
        double ppv = Sums(w, _alertPositiveValue, _alertValue);
        return ppv > 0.0 ? 1.0 / ppv : double.NaN;
    };

    /// <summary>Alerted decision points per 100 days of covered stay.</summary>
    public WeightedStatistic AlertsPer100PatientDays => w =>
    {
        double perHour = Sums(w, _alertValue, _set.ExposureHours);
        return double.IsNaN(perHour) ? double.NaN : perHour * 24.0 * 100.0;
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

        // Treat-all: every decision point is treated, so TP = events and FP = non-events.
        double[] truePositive = model ? _alertPositiveValue : _labelValue;
        double[] treated = model ? _alertValue : _one;
        double n = 0.0, tp = 0.0, all = 0.0;
        for (int i = 0; i < w.Length; i++)
        {
            n += w[i];
            tp += w[i] * truePositive[i];
            all += w[i] * treated[i];
        }

        double fp = all - tp;
        return n > 0.0 ? (tp / n) - (fp / n * (pt / (1.0 - pt))) : double.NaN;
    }

    /// <summary>Σ w·numerator / Σ w·denominator over decision points (NaN when the denominator is 0).</summary>
    private static double Sums(ReadOnlySpan<int> w, double[] numerator, double[] denominator)
    {
        double hits = 0.0, total = 0.0;
        for (int i = 0; i < w.Length; i++)
        {
            hits += w[i] * numerator[i];
            total += w[i] * denominator[i];
        }

        return total > 0.0 ? hits / total : double.NaN;
    }

    /// <summary>The same over units, each weighted by the weight of its representative decision point.</summary>
    private double UnitSums(ReadOnlySpan<int> w, double[] numerator, double[] denominator)
    {
        int[] representative = _set.UnitFirstItem;
        double hits = 0.0, total = 0.0;
        for (int u = 0; u < representative.Length; u++)
        {
            int weight = w[representative[u]];
            hits += weight * numerator[u];
            total += weight * denominator[u];
        }

        return total > 0.0 ? hits / total : double.NaN;
    }
}
