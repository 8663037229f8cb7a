using System.Globalization;
using ValidationLab.Results;
using ValidationLab.Statistics.EarlyWarning;

namespace ValidationLab.Suites.Longitudinal.Scoring;

/// <summary>
/// Early-detection metrics of a risk suite from its decision points, every one with a patient cluster bootstrap
/// interval (docs/results-schema.md, "Risk metrics", lists names, kinds and definitions):
/// discrimination (AUROC, AUPRC, each weighted by decision point and by patient), calibration (intercept, slope,
/// Brier, reliability bins), alert metrics at the threshold (unit sensitivity, alert and unit PPV, alert rate,
/// alerts per 100 patient-days, number needed to evaluate, median lead time, net benefit), and curves (ROC,
/// reliability, time to detection, decision curve with treat-all and treat-none). Errored and unparseable items are
/// excluded and counted in <see cref="SuiteCounts"/>. Pure and deterministic: same observations and options, same
/// result, whatever their order.
/// </summary>
public static partial class RiskAggregator
{
    /// <summary>Computes the suite result; <paramref name="counts"/> is reported as given.</summary>
    public static SuiteResult Aggregate(string suite, string mode, SuiteCounts counts, IReadOnlyList<RiskObservation> observations, RiskAggregationOptions options)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

        var metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal);
        var curves = new SortedDictionary<string, Curve>(StringComparer.Ordinal);
        var notes = new List<string>();
        int excluded = observations.Count(o => o.Status != ItemStatus.Scored);
        int unusable = observations.Count(o => o.Status == ItemStatus.Scored && !RiskData.IsUsable(o));
        if (excluded > 0)
        {
            notes.Add(Invariant($"{excluded} decision point(s) errored or unparseable are excluded from every metric (see counts)."));
        }

        if (unusable > 0)
        {
            notes.Add(Invariant($"{unusable} scored decision point(s) without a label or a probability in [0, 1] are excluded from every metric."));
        }

        var data = RiskData.From(observations);
        if (data is null)
        {
            notes.Add("No decision point could be scored: no risk metric is reported.");
            return Result(suite, mode, counts, metrics, curves, notes, Empty());
        }

        var set = data.Set;
        var add = new ClusterMetrics(set.Patients, set.PatientCount, options, metrics, notes);
        AddCounts(add, set);
        if (set.UnitsWithOnsetBeforeFirstDecisionPoint > 0)
        {
            notes.Add(Invariant($"{set.UnitsWithOnsetBeforeFirstDecisionPoint} unit(s) had their outcome onset before their first decision point: no model could alert before it, so they are not counted as positive units (a cohort definition to review)."));
        }

        AddDiscriminationAndCalibration(add, set, curves, notes);

        double? threshold = options.Threshold;
        if (threshold is null && options.TargetAlertRate is { } rate)
        {
            threshold = RiskCurves.ThresholdForAlertRate(set.Scores, rate);
            notes.Add(Invariant($"Alert threshold {threshold:0.####} was chosen on these data to alert on at most {rate:P1} of decision points; intervals hold it fixed (the uncertainty of choosing it is not included)."));
        }

        if (threshold is { } t)
        {
            AddAlertMetrics(add, set, t, metrics, curves);
        }
        else
        {
            notes.Add("No threshold or target alert rate was set: alert metrics (sensitivity, PPV, alert burden, lead time, net benefit) are not reported.");
        }

        add.Compute();
        AddDecisionCurves(set, curves);
        notes.Add("Decision points of one patient are correlated: every interval resamples whole patients (cluster bootstrap); n is decision points (or units where stated), clusters is patients.");
        var breakdowns = Breakdowns(data, threshold, options);
        return Result(suite, mode, counts, metrics, curves, notes, breakdowns);
    }

    private static void Validate(RiskAggregationOptions options)
    {
        if (options.Threshold is not null && options.TargetAlertRate is not null)
        {
            throw new ArgumentException("Set either a threshold or a target alert rate, not both.", nameof(options));
        }

        if (options.Threshold is { } t && !(t >= 0.0 && t <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), t, "The threshold must be a probability in [0, 1].");
        }

        if (options.TargetAlertRate is { } r && !(r > 0.0 && r <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), r, "The target alert rate must lie in (0, 1].");
        }

        if (options.BootstrapResamples is < 0 or 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BootstrapResamples, "Bootstrap resamples must be 0 (off) or at least 2.");
        }
    }

    private static void AddCounts(ClusterMetrics add, DecisionPointSet set)
    {
        add.Count("decision_points", set.Count, set.Count);
        add.Count("patients", set.PatientCount, set.Count);
        add.Count("units", set.UnitCount, set.Count);
        add.Count("positive_decision_points", set.Labels.Count(l => l), set.Count);
        add.Count("positive_units", set.PositiveUnitCount, set.UnitCount);
    }

    private static void AddDiscriminationAndCalibration(ClusterMetrics add, DecisionPointSet set, SortedDictionary<string, Curve> curves, List<string> notes)
    {
        double[] s = set.Scores;
        bool[] y = set.Labels;
        int n = set.Count;
        double[] byPatient = set.PatientWeights();
        const string OneClass = "the decision points have one outcome class only";
        add.Add("auroc", WeightedRanking.Auroc(s, y), MetricKind.Auroc, n, OneClass);
        add.Add("auroc_patient_weighted", WeightedRanking.Auroc(s, y, byPatient), MetricKind.Auroc, n, OneClass);
        add.Add("auprc", WeightedRanking.AveragePrecision(s, y), MetricKind.Auprc, n, "no positive decision point");
        add.Add("auprc_patient_weighted", WeightedRanking.AveragePrecision(s, y, byPatient), MetricKind.Auprc, n, "no positive decision point");
        add.Add("brier", WeightedCalibration.Brier(s, y), MetricKind.Score, n, "no decision point");
        add.Add("calibration_intercept", WeightedCalibration.Intercept(s, y), MetricKind.Calibration, n, "one outcome class, or the logistic fit does not converge");
        add.Add("calibration_slope", WeightedCalibration.Slope(s, y), MetricKind.Calibration, n, "one outcome class, or the logistic fit does not converge");
        if (y.Any(l => l) && y.Any(l => !l))
        {
            curves["roc"] = RocCurve(s, y);
        }

        curves["reliability"] = ReliabilityCurve(s, y);
        notes.Add("Patient-weighted AUROC and AUPRC weigh each decision point 1/n_i (n_i: decision points of its patient), so long stays do not dominate.");
    }

    private static void AddAlertMetrics(ClusterMetrics add, DecisionPointSet set, double threshold, SortedDictionary<string, MetricValue> metrics, SortedDictionary<string, Curve> curves)
    {
        var at = new ThresholdEvaluation(set, threshold);
        int n = set.Count;
        metrics["alert_threshold"] = new MetricValue(threshold, null, null, n, "alert when score >= threshold") { Kind = MetricKind.Score, Clusters = set.PatientCount };
        add.Count("alerts", at.Alerts, n);
        add.Count("detected_units", at.DetectedUnits, set.PositiveUnitCount);
        add.Add("alert_rate", at.AlertRate, MetricKind.Proportion, n, "no decision point");
        add.Add("sensitivity_units", at.SensitivityUnits, MetricKind.Proportion, set.PositiveUnitCount, "no unit had the outcome");
        add.Add("ppv_alerts", at.PpvAlerts, MetricKind.Proportion, at.Alerts, "no decision point alerted");
        add.Add("ppv_units", at.PpvUnits, MetricKind.Proportion, at.AlertedUnits, "no unit alerted");
        add.Add("alerts_per_100_patient_days", at.AlertsPer100PatientDays, MetricKind.Rate, n, "no exposure time");
        add.Add("number_needed_to_evaluate", at.NumberNeededToEvaluate, MetricKind.Rate, at.Alerts, "no alert was followed by the outcome");
        add.Add("lead_time_median_hours", at.MedianLeadTimeHours, MetricKind.Hours, at.DetectedUnits, "no unit was alerted before its onset");
        add.Add("net_benefit", at.NetBenefit, MetricKind.Score, n, "the threshold must lie strictly between 0 and 1");
        add.Add("net_benefit_treat_all", at.NetBenefitTreatAll, MetricKind.Score, n, "the threshold must lie strictly between 0 and 1");
        var detection = at.TimeToDetection();
        if (detection.Count > 0)
        {
            curves["time_to_detection"] = new Curve
            {
                Title = Invariant($"Time to detection at threshold {threshold:0.####}: units with the outcome alerted at least X hours before onset"),
                XLabel = "hours before onset",
                YLabel = "share of units with the outcome",
                Points = detection.Select(p => new CurvePoint(p.HoursBeforeOnset, p.Fraction)).ToArray(),
            };
        }
    }

    private static SuiteResult Result(
        string suite,
        string mode,
        SuiteCounts counts,
        SortedDictionary<string, MetricValue> metrics,
        SortedDictionary<string, Curve> curves,
        List<string> notes,
        SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>> breakdowns) => new()
        {
            Suite = suite,
            Mode = mode,
            Counts = counts,
            Metrics = metrics,
            Curves = curves,
            Breakdowns = breakdowns,
            Notes = notes,
        };

    private static SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>> Empty() => new(StringComparer.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
