namespace ValidationLab.Results.Slices;

/// <summary>A test of a slice's gap: its method ("Fisher exact (two-sided)", "DeLong (unpaired)"), statistic, raw and adjusted p.</summary>
public sealed record SliceTest
{
    public required string Method { get; init; }

    public required double Statistic { get; init; }

    public required double PValue { get; init; }

    /// <summary>Holm or Benjamini–Hochberg adjusted across every slice test of the run.</summary>
    public required double AdjustedP { get; init; }

    /// <summary>Adjusted p below alpha.</summary>
    public required bool Significant { get; init; }
}
