namespace ValidationLab.Results.Slices;

/// <summary>One suite's slices: one family per declared attribute or intersection, and the gate inputs.</summary>
public sealed record SuiteSlices
{
    /// <summary>family name ("sex", "sex x age_band") -> its groups.</summary>
    public required IReadOnlyDictionary<string, SliceFamily> Families { get; init; }

    /// <summary>
    /// Gate inputs: metric -> the slice with the largest gap to its reference, with its adjusted p-value, and the
    /// largest gap among slices whose adjusted p is below alpha.
    /// </summary>
    public required IReadOnlyDictionary<string, SliceGap> Gaps { get; init; }

    /// <summary>Declared slices skipped for this suite because none of its items carries the attribute.</summary>
    public IReadOnlyList<string> NotApplicable { get; init; } = [];
}
