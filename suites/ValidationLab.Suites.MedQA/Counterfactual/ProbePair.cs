namespace ValidationLab.Suites.MedQA.Counterfactual;

/// <summary>One probed item: the original and the swapped prompt, the model's answer to each, and their correctness.</summary>
public sealed record ProbePair(string ItemId, string OriginalPrompt, string SwappedPrompt, string? OriginalAnswer, string? SwappedAnswer, bool OriginalCorrect, bool SwappedCorrect)
{
    /// <summary>The answer changed when only the patient's sex did.</summary>
    public bool Flipped => !string.Equals(OriginalAnswer, SwappedAnswer, StringComparison.Ordinal);
}
