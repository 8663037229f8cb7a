using ValidationLab.Requests;

namespace ValidationLab.Suites.MedQA;

/// <summary>
/// One MedQA question as read from either layout, normalised: options lettered from A in file order and the gold
/// answer as a letter. This is the <see cref="Items.EvalItem.Payload"/> of every MedQA item.
/// </summary>
public sealed record MedQaQuestion
{
    /// <summary>The record's <c>id</c> or <c>realidx</c> as written, else its 0-based line number.</summary>
    public required string Id { get; init; }

    public required string Question { get; init; }

    /// <summary>Options in letter order (A, B, C, D[, E]).</summary>
    public required IReadOnlyList<AnswerChoice> Options { get; init; }

    /// <summary>The gold letter (<c>answer_idx</c>, or the letter of the Hugging Face <c>label</c>).</summary>
    public required string AnswerIdx { get; init; }

    /// <summary>The gold option's text.</summary>
    public required string Answer { get; init; }

    /// <summary>"step1" or "step2&amp;3" in the published file; null when absent (Hugging Face layout).</summary>
    public string? MetaInfo { get; init; }

    /// <summary>Kept as published; not shown to the model.</summary>
    public IReadOnlyList<string> MetamapPhrases { get; init; } = [];

    /// <summary>File the question came from.</summary>
    public required string File { get; init; }

    /// <summary>1-based line in <see cref="File"/>.</summary>
    public required int Line { get; init; }

    /// <summary>The option letters, "A".."D" or "A".."E".</summary>
    public IEnumerable<string> Letters => Options.Select(o => o.Label);
}
