namespace ValidationLab.Governance;

/// <summary>
/// A promotion policy as a governance board writes it (fixtures/policies/*.yaml, docs/governance.md): named criteria
/// over the run's documented result paths, the roles that must approve, and how to compare with a baseline. Built by
/// <see cref="PolicyReader"/>, validated, then frozen; every part remembers the line it came from.
/// </summary>
public sealed record GatePolicy
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The policy file as the user named it (for messages).</summary>
    public required string File { get; init; }

    /// <summary>SHA-256 of the policy file's bytes: the policy is part of the evidence.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Roles that must approve this exact report before the run is promotable.</summary>
    public IReadOnlyList<string> RequiredRoles { get; init; } = [];

    /// <summary>How <c>gate --baseline</c> compares the runs (non-inferiority margin, bootstrap seed).</summary>
    public ComparisonSettings Comparison { get; init; } = new();

    public required IReadOnlyList<Criterion> Criteria { get; init; }

    /// <summary>Every role whose approval is needed: the policy's and those of single criteria, in first-seen order.</summary>
    public IReadOnlyList<string> AllRequiredRoles =>
        RequiredRoles.Concat(Criteria.SelectMany(c => c.RequiresRoles)).Distinct(StringComparer.Ordinal).ToList();
}
