namespace ValidationLab.Results;

/// <summary>
/// A number as a reviewer must read it: the value, its interval, the n it rests on and the method that produced
/// the interval ("Wilson 95% CI"). Intervals are null for counts. <see cref="Kind"/> says how to read and format
/// the value; <see cref="Clusters"/> is the number of independent units (patients) behind <see cref="N"/> when
/// items are clustered and the interval accounts for it.
/// </summary>
/// <remarks>
/// A metric that rests on nothing (n = 0: every item errored) is <em>absent</em>: <see cref="Value"/> and the
/// interval are null and <see cref="AbsentReason"/> says why. It is never reported as 0 with an interval 0–1.
/// </remarks>
public sealed record MetricValue(double? Value, double? CiLow, double? CiHigh, int N, string Method)
{
    /// <summary>The reason used when a proportion or rate has no item to rest on.</summary>
    public const string NoScoredItems = "no scored items";

    /// <summary>What the number is: a proportion (shown as a percentage), an AUROC, a count, a rate...</summary>
    public MetricKind Kind { get; init; } = MetricKind.Proportion;

    /// <summary>Independent clusters (patients) the value rests on; null when items are independent.</summary>
    public int? Clusters { get; init; }

    /// <summary>Why there is no value (e.g. "no scored items"); null when <see cref="Value"/> is present.</summary>
    public string? AbsentReason { get; init; }

    /// <summary>True when the metric has no value (see <see cref="AbsentReason"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsAbsent => Value is null;

    /// <summary>An absent metric: no value, no interval, the n it would have rested on and why.</summary>
    public static MetricValue Absent(int n, string method, string reason) =>
        new(null, null, null, n, method) { AbsentReason = reason };
}
