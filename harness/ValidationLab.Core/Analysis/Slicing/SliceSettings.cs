namespace ValidationLab.Analysis.Slicing;

/// <summary>
/// The <c>slices:</c> section of a run config, validated and frozen by <see cref="SliceConfigReader"/>:
/// <code>
/// slices:
///   attributes: [sex, age_band, meta_info]
///   intersections: ["sex x age_band"]
///   age_bands: [18, 45, 65]          # cut points applied to the 'age' attribute, giving 'age_band'
///   groupings:
///     ethnicity:
///       White: [WHITE, WHITE - RUSSIAN]
///       Hispanic: [HISPANIC/LATINO - PUERTO RICAN, HISPANIC OR LATINO]
///   reference: largest               # largest | overall | named
///   reference_groups: {sex: female}  # with reference: named
///   correction: holm                 # holm | bh
///   min_cell: 20
/// </code>
/// </summary>
public sealed record SliceSettings
{
    public const int DefaultMinCell = 20;

    /// <summary>Every slice family, in declared order: single attributes, then intersections (2 or 3 attributes).</summary>
    public required IReadOnlyList<SliceFamilySpec> Families { get; init; }

    /// <summary>Cut points (years) turning the numeric 'age' attribute into 'age_band'; null keeps the items' own age_band.</summary>
    public IReadOnlyList<int>? AgeBands { get; init; }

    /// <summary>attribute -> raw value -> group name.</summary>
    public IReadOnlyDictionary<string, SliceGrouping> Groupings { get; init; } = new Dictionary<string, SliceGrouping>(StringComparer.Ordinal);

    public SliceReferenceKind Reference { get; init; } = SliceReferenceKind.Largest;

    /// <summary>attribute -> the named reference value, with <see cref="SliceReferenceKind.Named"/>.</summary>
    public IReadOnlyDictionary<string, string> ReferenceGroups { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public SliceCorrection Correction { get; init; } = SliceCorrection.Holm;

    public int MinCell { get; init; } = DefaultMinCell;

    public double Alpha { get; init; } = 0.05;

    /// <summary>Risk items with a score at or above this are alerts.</summary>
    public double AlertThreshold { get; init; } = 0.5;

    /// <summary>Resamples of the cluster bootstrap used where items are clustered.</summary>
    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>The config file, for messages.</summary>
    public string Origin { get; init; } = "slices";

    /// <summary>The 1-based line of each declared attribute or intersection, for messages.</summary>
    public IReadOnlyDictionary<string, long> Lines { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Every attribute any family reads, after age banding (so 'age_band' may come from 'age').</summary>
    public IEnumerable<string> Attributes => Families.SelectMany(f => f.Attributes).Distinct(StringComparer.Ordinal);
}

/// <summary>One declared slice family: a single attribute or an intersection of two or three.</summary>
public sealed record SliceFamilySpec(IReadOnlyList<string> Attributes)
{
    public const string Separator = " x ";

    public string Name => string.Join(Separator, Attributes);
}

/// <summary>A declared mapping of raw values to groups ("WHITE - RUSSIAN" -> White); every value seen must be mapped.</summary>
public sealed record SliceGrouping(IReadOnlyDictionary<string, string> GroupOf, long Line);

public enum SliceReferenceKind
{
    /// <summary>The largest group of the family that is not suppressed.</summary>
    Largest,

    /// <summary>All items of the suite; the test compares the slice with the rest (its complement).</summary>
    Overall,

    /// <summary>A group named in reference_groups.</summary>
    Named,
}

public enum SliceCorrection
{
    /// <summary>Holm's step-down (family-wise error).</summary>
    Holm,

    /// <summary>Benjamini–Hochberg (false discovery rate).</summary>
    BenjaminiHochberg,
}
