using System.Text.Json.Serialization;

namespace ValidationLab.Requests;

/// <summary>Score log P(continuation | context) for each continuation.</summary>
public sealed record LogLikelihoodRequest : ModelRequest
{
    /// <inheritdoc />
    [JsonIgnore]
    public override RequestKind Kind => RequestKind.LogLikelihood;

    /// <summary>The prompt the continuations extend.</summary>
    public required string Context { get; init; }

    /// <summary>The candidates, e.g. " A", " B", " C", " D".</summary>
    public required IReadOnlyList<string> Continuations { get; init; }
}
