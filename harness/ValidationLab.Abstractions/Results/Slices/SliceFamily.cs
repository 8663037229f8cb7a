namespace ValidationLab.Results.Slices;

/// <summary>The groups of one attribute or intersection ("sex x age_band") and the group they are compared with.</summary>
public sealed record SliceFamily
{
    /// <summary>The attributes crossed, in declared order.</summary>
    public required IReadOnlyList<string> Attributes { get; init; }

    /// <summary>The reference group's key ("female", "overall"); null when no group is large enough to be one.</summary>
    public string? ReferenceGroup { get; init; }

    /// <summary>Items left out because they lack one of the attributes.</summary>
    public int Missing { get; init; }

    /// <summary>group key ("female, 45-64") -> the group.</summary>
    public required IReadOnlyDictionary<string, SliceGroup> Groups { get; init; }
}
