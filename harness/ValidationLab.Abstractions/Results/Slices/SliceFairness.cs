namespace ValidationLab.Results.Slices;

/// <summary>
/// Group fairness of a risk score at the alert threshold (definitions and their Fairlearn / Aequitas names in
/// docs/slices.md). Gaps are this group minus the reference group; null for the reference group or when a rate is
/// undefined (no positives, no negatives).
/// </summary>
public sealed record SliceFairness
{
    /// <summary>Items with both a score and an outcome.</summary>
    public required int N { get; init; }

    /// <summary>Sensitivity: alerts among events.</summary>
    public double? Tpr { get; init; }

    /// <summary>Alerts among non-events.</summary>
    public double? Fpr { get; init; }

    /// <summary>Share of the group alerted (score ≥ threshold).</summary>
    public required double AlertRate { get; init; }

    public required double MeanPredicted { get; init; }

    public required double ObservedRate { get; init; }

    /// <summary>Calibration-in-the-large: observed rate minus mean predicted (0 is calibrated; &gt; 0 under-predicts).</summary>
    public required double CalibrationInTheLarge { get; init; }

    /// <summary>Observed / expected events; null when nothing was expected.</summary>
    public double? ObservedExpectedRatio { get; init; }

    public double? TprDifference { get; init; }

    public double? FprDifference { get; init; }

    /// <summary>max(|TPR difference|, |FPR difference|).</summary>
    public double? EqualizedOddsDifference { get; init; }

    public double? AlertRateDifference { get; init; }

    public double? AlertRateRatio { get; init; }
}
