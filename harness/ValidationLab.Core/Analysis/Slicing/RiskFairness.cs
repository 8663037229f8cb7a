using ValidationLab.Results;
using ValidationLab.Results.Slices;

namespace ValidationLab.Analysis.Slicing;

/// <summary>
/// Group fairness of a risk score at the alert threshold, from items that carry a score and an outcome:
/// TPR and FPR (their gaps make equalized odds), alert rate (demographic / statistical parity) and
/// calibration-in-the-large (observed minus mean predicted). Names next to Fairlearn's and Aequitas' in
/// docs/slices.md.
/// </summary>
public static class RiskFairness
{
    /// <summary>True when the suite's items are risk predictions (some item has both a score and an outcome).</summary>
    public static bool Applies(IEnumerable<ItemResult> items) => items.Any(IsRisk);

    /// <summary>The group's rates; gaps left null (see <see cref="Compare"/>). Null when no item has a score and an outcome.</summary>
    public static SliceFairness? Rates(IEnumerable<ItemResult> items, double threshold)
    {
        int n = 0, events = 0, alerts = 0, truePositives = 0, falsePositives = 0;
        double sumPredicted = 0;
        foreach (var item in items.Where(IsRisk))
        {
            var score = item.Score!.Value;
            var label = item.Label!.Value;
            var alert = score >= threshold;
            n++;
            sumPredicted += score;
            events += label ? 1 : 0;
            alerts += alert ? 1 : 0;
            truePositives += alert && label ? 1 : 0;
            falsePositives += alert && !label ? 1 : 0;
        }

        if (n == 0)
        {
            return null;
        }

        var meanPredicted = sumPredicted / n;
        var observed = (double)events / n;
        return new SliceFairness
        {
            N = n,
            Tpr = events == 0 ? null : (double)truePositives / events,
            Fpr = events == n ? null : (double)falsePositives / (n - events),
            AlertRate = (double)alerts / n,
            MeanPredicted = meanPredicted,
            ObservedRate = observed,
            CalibrationInTheLarge = observed - meanPredicted,
            ObservedExpectedRatio = sumPredicted > 0 ? events / sumPredicted : null,
        };
    }

    /// <summary>The group's rates with their gaps to the reference group's.</summary>
    public static SliceFairness Compare(SliceFairness group, SliceFairness reference)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(reference);
        double? tpr = group.Tpr - reference.Tpr;
        double? fpr = group.Fpr - reference.Fpr;
        return group with
        {
            TprDifference = tpr,
            FprDifference = fpr,
            EqualizedOddsDifference = tpr is { } t && fpr is { } f ? Math.Max(Math.Abs(t), Math.Abs(f)) : null,
            AlertRateDifference = group.AlertRate - reference.AlertRate,
            AlertRateRatio = reference.AlertRate > 0 ? group.AlertRate / reference.AlertRate : null,
        };
    }

    private static bool IsRisk(ItemResult item) => item.Status != ItemStatus.Errored && item.Score is not null && item.Label is not null;
}
