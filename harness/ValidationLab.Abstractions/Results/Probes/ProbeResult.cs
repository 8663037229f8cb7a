namespace ValidationLab.Results.Probes;

/// <summary>
/// A counterfactual probe of one suite, addressable as <c>suites.&lt;suite&gt;.probes.&lt;probe&gt;</c> in results.json:
/// every eligible item was asked again with one thing changed (the patient's sex, for <c>sex_swap</c>), and the answers
/// are compared. Which items were asked, which were skipped and why, how often the answer changed (with its interval
/// and n), McNemar on original versus changed correctness, and the items whose answer changed, for reviewers.
/// </summary>
public sealed record ProbeResult
{
    /// <summary>The probe's name, as in the suite option: "sex_swap".</summary>
    public required string Probe { get; init; }

    /// <summary>Items re-asked with the change: every eligible item of the suite.</summary>
    public required int Asked { get; init; }

    /// <summary>Asked items with both answers; the flip rate and McNemar rest on these.</summary>
    public required int Probed { get; init; }

    /// <summary>Asked items whose original or changed request errored: left out, never counted as flips.</summary>
    public required int Errored { get; init; }

    /// <summary>Items not asked, by the rule that excluded them (rule id -> count, e.g. "pregnancy" -> 160).</summary>
    public required IReadOnlyDictionary<string, int> Skipped { get; init; }

    /// <summary>Probed items whose answer changed ÷ probed items, with its interval and n; absent when nothing was probed.</summary>
    public required MetricValue FlipRate { get; init; }

    /// <summary>McNemar on original versus changed correctness (written "mcnemar").</summary>
    public required ProbeMcNemar Mcnemar { get; init; }

    /// <summary>The items whose answer changed, in item-id order (ordinal).</summary>
    public required IReadOnlyList<ProbeFlip> Flipped { get; init; }
}

/// <summary>
/// McNemar's test on original versus changed correctness over the probed items: <see cref="B"/> right only originally,
/// <see cref="C"/> right only after the change; exact p (statistic min(b, c)) and mid-p.
/// </summary>
public sealed record ProbeMcNemar
{
    public required int B { get; init; }

    public required int C { get; init; }

    public required string Method { get; init; }

    public required double Statistic { get; init; }

    public required double PValue { get; init; }

    public required double MidP { get; init; }
}

/// <summary>One item whose answer changed: its id, the gold answer and both answers (null when none was extracted).</summary>
public sealed record ProbeFlip
{
    public required string ItemId { get; init; }

    public string? Gold { get; init; }

    public string? OriginalAnswer { get; init; }

    public string? ChangedAnswer { get; init; }
}
