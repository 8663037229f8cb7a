namespace ValidationLab.Results.Slices;

/// <summary>
/// The <c>slices</c> object of results.json: per suite, every declared slice (an attribute or an intersection of
/// up to three) with each metric, its interval, its gap to the reference group, a test fitting the metric and the
/// p-value adjusted across every slice test of the run. Written by the slicing stage
/// (ValidationLab.Analysis.Slicing); null when the run declared no slices. See docs/slices.md.
/// </summary>
public sealed record SliceReport
{
    /// <summary>"holm" or "bh" (Benjamini–Hochberg).</summary>
    public required string Correction { get; init; }

    /// <summary>"largest", "overall" or "named".</summary>
    public required string Reference { get; init; }

    /// <summary>Slices with fewer items or clusters than this are suppressed in every output.</summary>
    public required int MinCell { get; init; }

    /// <summary>Level at which an adjusted p-value flags a gap.</summary>
    public required double Alpha { get; init; }

    /// <summary>Risk score at or above which a risk item counts as an alert (equalized odds, alert rate).</summary>
    public required double AlertThreshold { get; init; }

    /// <summary>Number of tests in the multiplicity family (every slice test of the run, all suites).</summary>
    public required int Tests { get; init; }

    /// <summary>suite -> its slices.</summary>
    public required IReadOnlyDictionary<string, SuiteSlices> Suites { get; init; }
}
