namespace ValidationLab.Results;

/// <summary>
/// A number as a reviewer must read it: the value, its interval, the n it rests on and the method that produced
/// the interval ("Wilson 95% CI"). Intervals are null for counts. <see cref="Kind"/> says how to read and format
/// the value; <see cref="Clusters"/> is the number of independent units (patients) behind <see cref="N"/> when
/// items are clustered and the interval accounts for it.
/// </summary>
public sealed record MetricValue(double Value, double? CiLow, double? CiHigh, int N, string Method)
{
    /// <summary>What the number is: a proportion (shown as a percentage), an AUROC, a count, a rate...</summary>
    public MetricKind Kind { get; init; } = MetricKind.Proportion;

    /// <summary>Independent clusters (patients) the value rests on; null when items are independent.</summary>
    public int? Clusters { get; init; }
}
