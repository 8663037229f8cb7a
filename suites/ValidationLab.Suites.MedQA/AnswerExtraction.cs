namespace ValidationLab.Suites.MedQA;

/// <summary>
/// What the extractor made of a response: the option letter, or null with the reason there is none
/// ("ambiguous: mentions A and C"). The reason is shown to reviewers, so it is plain words.
/// </summary>
public sealed record AnswerExtraction(string? Letter, string Reason)
{
    /// <summary>True when a single option letter was extracted.</summary>
    public bool Found => Letter is not null;
}
