using System.Text.Json.Nodes;

namespace ValidationLab.Governance;

/// <summary>One criterion judged: what was observed (with its interval when the path points into a metric), the
/// threshold, the verdict and why, in words a board reads.</summary>
public sealed record CriterionResult
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The criterion as an expression, e.g. <c>suites.medqa.metrics.accuracy.ci_low &gt;= 0.8</c>.</summary>
    public required string Expression { get; init; }

    public required string Operator { get; init; }

    public required JsonNode? Threshold { get; init; }

    /// <summary>The value compared (null when absent or for a collection).</summary>
    public JsonNode? Observed { get; init; }

    /// <summary>The observed value as a reviewer reads it, with interval and n when it belongs to a metric.</summary>
    public required string ObservedText { get; init; }

    public required bool Passed { get; init; }

    public required string Why { get; init; }

    public IReadOnlyList<string> RequiresRoles { get; init; } = [];

    /// <summary>For <c>all</c>/<c>any</c> criteria: every element checked.</summary>
    public IReadOnlyList<ElementResult>? Elements { get; init; }
}
