namespace ValidationLab.Suites.MedQA.Counterfactual;

/// <summary>
/// The outcome of rewriting one item: the swapped text, or why the item was skipped (the exclusion rule's id and
/// reason, or "no_sex_terms" when nothing in it names a sex).
/// </summary>
public sealed record SexSwapResult(string? Swapped, string? SkipRule, string? SkipReason, int Replacements)
{
    public const string NoSexTerms = "no_sex_terms";

    public bool Eligible => Swapped is not null;
}
