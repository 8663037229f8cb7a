namespace ValidationLab.Results.Slices;

/// <summary>
/// One metric on one slice: the suite's value and interval on the slice's items, its difference and ratio to the
/// reference group's value, the test of that difference and the minimum detectable difference at the slice's size.
/// </summary>
public sealed record SliceMetric
{
    public required MetricValue Metric { get; init; }

    /// <summary>Slice minus reference; null for the reference group itself.</summary>
    public double? Difference { get; init; }

    /// <summary>Slice divided by reference; null for the reference group or when the reference value is 0.</summary>
    public double? Ratio { get; init; }

    /// <summary>The test of the difference; null for the reference group or when no test applies (and why, in <see cref="SliceTest.Method"/>).</summary>
    public SliceTest? Test { get; init; }

    /// <summary>Why a non-reference slice has no test (too few events for DeLong, a metric kind without one); else null.</summary>
    public string? NoTest { get; init; }

    /// <summary>Smallest |difference| detectable with 80% power at α = 0.05 given the two sizes; null when not computable.</summary>
    public double? MinimumDetectableDifference { get; init; }
}
