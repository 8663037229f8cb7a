namespace ValidationLab.Results.Slices;

/// <summary>
/// Gate input for one suite metric: the largest |gap| of any tested slice (and its adjusted p), and the largest
/// gap among slices whose adjusted p is below alpha, so that a policy can say "no slice gap above 5 points with
/// adjusted p &lt; 0.05".
/// </summary>
public sealed record SliceGap
{
    /// <summary>"family: group key" of the slice with the largest |difference| among tested slices.</summary>
    public string? LargestGapSlice { get; init; }

    public double? LargestGap { get; init; }

    public double? LargestGapAdjustedP { get; init; }

    /// <summary>The slice with the largest |difference| among those with adjusted p &lt; alpha; null when none.</summary>
    public string? LargestSignificantGapSlice { get; init; }

    public double? LargestSignificantGap { get; init; }

    public double? LargestSignificantGapAdjustedP { get; init; }

    /// <summary>Slices tested for this metric.</summary>
    public int Tested { get; init; }
}
