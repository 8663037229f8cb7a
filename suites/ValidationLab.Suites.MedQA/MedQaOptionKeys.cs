namespace ValidationLab.Suites.MedQA;

/// <summary>The option keys the MedQA suite understands; any other key is refused before the run.</summary>
public static class MedQaOptionKeys
{
    /// <summary>"generate" (default) or "loglikelihood".</summary>
    public const string Mode = "mode";

    /// <summary>Number of worked examples shown before each question (default 0).</summary>
    public const string Shots = "shots";

    /// <summary>MedQA-format file the k-shot exemplars are drawn from; required when shots &gt; 0.</summary>
    public const string Exemplars = "exemplars";

    /// <summary>Generation budget in generate mode (default 512).</summary>
    public const string MaxTokens = "max_tokens";

    /// <summary>Replaces the default system message in generate mode.</summary>
    public const string SystemPrompt = "system_prompt";

    /// <summary>
    /// "sex_swap" re-asks every eligible item with the patient's sex swapped (issue 9) and reports the answer-flip
    /// rate, McNemar and the flipped items; accuracy stays on the original answers. Off when absent.
    /// </summary>
    public const string Probe = "probe";

    /// <summary>All keys, for <see cref="ISuiteFactory.OptionKeys"/>.</summary>
    public static IReadOnlyCollection<string> All { get; } = [Mode, Shots, Exemplars, MaxTokens, SystemPrompt, Probe];
}
