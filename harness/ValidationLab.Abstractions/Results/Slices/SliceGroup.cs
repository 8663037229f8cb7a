namespace ValidationLab.Results.Slices;

/// <summary>
/// One slice. A suppressed slice (fewer than min_cell items or clusters) carries no number at all: its size reads
/// "&lt; 20", its counts are null and its metrics empty, because its estimate is noise and a tiny group can
/// re-identify patients.
/// </summary>
public sealed record SliceGroup
{
    /// <summary>attribute -> value, e.g. {sex: female, age_band: 45-64}.</summary>
    public required IReadOnlyDictionary<string, string> Values { get; init; }

    public required bool Suppressed { get; init; }

    /// <summary>The item count as text ("134"), or "&lt; 20" when suppressed.</summary>
    public required string Size { get; init; }

    /// <summary>Items in the slice; null when suppressed.</summary>
    public int? N { get; init; }

    /// <summary>Distinct clusters (patients) in the slice when items are clustered; null otherwise or when suppressed.</summary>
    public int? Clusters { get; init; }

    /// <summary>True for the family's reference group.</summary>
    public bool IsReference { get; init; }

    /// <summary>metric -> value, interval, gap and test (the suite's own metrics, recomputed on the slice).</summary>
    public required IReadOnlyDictionary<string, SliceMetric> Metrics { get; init; }

    /// <summary>Risk suites only: equalized odds, alert-rate parity, calibration-in-the-large; null otherwise.</summary>
    public SliceFairness? Fairness { get; init; }
}
