using System.Globalization;
using ValidationLab.Results;
using ValidationLab.Statistics;
using ValidationLab.Statistics.EarlyWarning;

namespace ValidationLab.Suites.Longitudinal.Scoring;

// RiskAggregator: the curves handed to the report (point curves, no intervals).
public static partial class RiskAggregator
{
    /// <summary>At most this many ROC points are kept (evenly spaced by rank, ends included): a cohort has as many
    /// distinct scores as decision points, and results.json must stay readable.</summary>
    internal const int MaxRocPoints = 501;

    /// <summary>Threshold probabilities of the decision curve: 0.01, 0.02, …, 0.99.</summary>
    internal static readonly double[] DecisionThresholds = Enumerable.Range(1, 99).Select(k => k / 100.0).ToArray();

    private static Curve RocCurve(double[] scores, bool[] labels)
    {
        var roc = RiskCurves.Roc(scores, labels);
        IEnumerable<RocPoint> kept = roc;
        if (roc.Count > MaxRocPoints)
        {
            kept = Enumerable.Range(0, MaxRocPoints)
                .Select(k => (int)Math.Round((double)k * (roc.Count - 1) / (MaxRocPoints - 1)))
                .Distinct()
                .Select(i => roc[i]);
        }

        return new Curve
        {
            Title = "ROC curve, decision points",
            XLabel = "false positive rate (1 - specificity)",
            YLabel = "true positive rate (sensitivity)",
            Points = kept.Select(p => new CurvePoint(
                p.FalsePositiveRate,
                p.TruePositiveRate,
                double.IsPositiveInfinity(p.Threshold) ? "no alert" : ">= " + p.Threshold.ToString("0.####", CultureInfo.InvariantCulture))).ToArray(),
        };
    }

    private static Curve ReliabilityCurve(double[] scores, bool[] labels)
    {
        var bins = Calibration.ReliabilityBins(scores, labels, 10, CalibrationBinning.EqualWidth);
        return new Curve
        {
            Title = "Reliability, 10 equal-width bins of predicted probability",
            XLabel = "mean predicted probability",
            YLabel = "observed event rate",
            Points = bins.Where(b => b.Count > 0)
                .Select(b => new CurvePoint(b.MeanPredicted, b.ObservedFrequency, "n=" + b.Count.ToString(CultureInfo.InvariantCulture)))
                .ToArray(),
        };
    }

    private static void AddDecisionCurves(DecisionPointSet set, SortedDictionary<string, Curve> curves)
    {
        var points = RiskCurves.DecisionCurve(set.Scores, set.Labels, DecisionThresholds);
        Curve Make(string title, Func<NetBenefitPoint, double> y) => new()
        {
            Title = title,
            XLabel = "threshold probability",
            YLabel = "net benefit",
            Points = points.Select(p => new CurvePoint(p.Threshold, y(p))).ToArray(),
        };

        curves["decision_curve"] = Make("Decision curve: alerting by the model (Vickers & Elkin 2006)", p => p.Model);
        curves["decision_curve_treat_all"] = Make("Decision curve: acting on every decision point", p => p.TreatAll);
        curves["decision_curve_treat_none"] = Make("Decision curve: acting on none", _ => 0.0);
    }
}
