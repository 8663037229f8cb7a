namespace ValidationLab.Results;

/// <summary>
/// One item's outcome: everything a clinical reviewer needs to see why it was scored so. Written to
/// items.jsonl and items.csv in item order; deterministic given the same responses.
/// </summary>
public sealed record ItemResult
{
    public required string Suite { get; init; }

    public required string ItemId { get; init; }

    public string? ClusterId { get; init; }

    public required ItemStatus Status { get; init; }

    /// <summary>SHA-256 of the request content (see <see cref="Requests.RequestHasher"/>).</summary>
    public string? PromptHash { get; init; }

    /// <summary>What the reviewer reads: question and options.</summary>
    public string? Input { get; init; }

    /// <summary>The raw model output (text, or the log-likelihoods rendered as text).</summary>
    public string? Response { get; init; }

    /// <summary>The extracted answer ("C"), or null when none could be extracted.</summary>
    public string? Prediction { get; init; }

    public string? Gold { get; init; }

    /// <summary>Null for errored items.</summary>
    public bool? Correct { get; init; }

    /// <summary>A probability or score when the suite has one (risk, confidence).</summary>
    public double? Score { get; init; }

    /// <summary>
    /// The observed outcome for risk items (true: the event happened within the horizon after the decision time);
    /// null for items scored by a gold answer.
    /// </summary>
    public bool? Label { get; init; }

    /// <summary>When the item was judged (the decision time of a replayed patient); null for exam items.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Plain-words reason for the verdict ("extracted C from 'The answer is (C)'; gold is C").</summary>
    public required string Explanation { get; init; }

    /// <summary>Why there was no answer, for errored items ("http_503: service unavailable after 5 attempts").</summary>
    public string? Error { get; init; }

    public double LatencyMs { get; init; }

    public IReadOnlyDictionary<string, string> Strata { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
