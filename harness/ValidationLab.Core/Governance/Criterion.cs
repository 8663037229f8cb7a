namespace ValidationLab.Governance;

/// <summary>
/// One named criterion: <c>path operator threshold</c>, optionally over every (<see cref="Quantifier.All"/>) or some
/// (<see cref="Quantifier.Any"/>) element of a collection, optionally only where <see cref="When"/> holds.
/// </summary>
public sealed record Criterion
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The observed value: absolute, or relative to each element when <see cref="Over"/> is set.</summary>
    public required Condition Check { get; init; }

    /// <summary>The collection path (with <c>*</c> wildcards) the criterion quantifies over, or null.</summary>
    public EvidencePath? Over { get; init; }

    public Quantifier Quantifier { get; init; }

    /// <summary>A collection that matches nothing fails unless the policy says it may be empty.</summary>
    public bool AllowEmpty { get; init; }

    /// <summary>The criterion (or, over a collection, an element) is only checked where this holds.</summary>
    public Condition? When { get; init; }

    public IReadOnlyList<string> RequiresRoles { get; init; } = [];

    /// <summary>1-based line of the criterion in the policy file.</summary>
    public required long Line { get; init; }
}
