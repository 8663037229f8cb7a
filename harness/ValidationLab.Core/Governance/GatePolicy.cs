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

/// <summary>Settings of the comparison that <c>gate --baseline</c> runs itself.</summary>
public sealed record ComparisonSettings
{
    public double Margin { get; init; } = 0.02;

    public int Seed { get; init; }

    public int Resamples { get; init; } = 10_000;
}

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

/// <summary>Whether a criterion over a collection needs every element or at least one.</summary>
public enum Quantifier
{
    None,
    All,
    Any,
}

/// <summary><c>path [÷ divide_by] operator threshold</c>, with <c>absolute</c> comparing |value|.</summary>
public sealed record Condition
{
    public required EvidencePath Path { get; init; }

    public EvidencePath? DivideBy { get; init; }

    public required string Operator { get; init; }

    /// <summary>A number, a boolean or a string (strings and booleans only with == and !=).</summary>
    public required object Threshold { get; init; }

    public bool Absolute { get; init; }

    /// <summary>Line of the threshold (type mismatches are reported there).</summary>
    public required long ThresholdLine { get; init; }

    /// <summary>Where this condition sits in the policy, e.g. <c>criteria[2]</c> or <c>criteria[2].when</c>.</summary>
    public required string Key { get; init; }

    public string ThresholdText => Threshold switch
    {
        double d => d.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => $"'{Threshold}'",
    };

    public string Describe() => $"{(Absolute ? "|" : "")}{Path.Text}{(DivideBy is null ? "" : " / " + DivideBy.Text)}{(Absolute ? "|" : "")} {Operator} {ThresholdText}";
}
