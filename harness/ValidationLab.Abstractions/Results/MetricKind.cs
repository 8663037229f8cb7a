namespace ValidationLab.Results;

/// <summary>How a metric's value is read and formatted. Written to results.json as snake_case.</summary>
public enum MetricKind
{
    /// <summary>A share in [0, 1] (accuracy, sensitivity, PPV, error rate): shown as a percentage.</summary>
    Proportion,

    /// <summary>Area under the ROC curve, in [0, 1].</summary>
    Auroc,

    /// <summary>Area under the precision-recall curve (average precision), in [0, 1].</summary>
    Auprc,

    /// <summary>A calibration intercept or slope (1 and 0 are perfect for slope and intercept).</summary>
    Calibration,

    /// <summary>A proper score such as Brier (lower is better), or net benefit.</summary>
    Score,

    /// <summary>A whole count (items, alerts, patients).</summary>
    Count,

    /// <summary>A rate per unit of exposure (alerts per 100 patient-days).</summary>
    Rate,

    /// <summary>A duration in hours (lead time).</summary>
    Hours,

    /// <summary>A difference between two values of the same kind (candidate minus baseline, slice gap).</summary>
    Difference,
}
