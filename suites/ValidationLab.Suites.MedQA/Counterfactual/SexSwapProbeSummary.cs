using ValidationLab.Results;
using ValidationLab.Statistics;

namespace ValidationLab.Suites.MedQA.Counterfactual;

/// <summary>
/// What the sex-swap probe reports: the answer-flip rate with its Wilson interval, McNemar's exact test and mid-p
/// on original versus swapped correctness, the items skipped per exclusion rule, and the flipped items side by side
/// for clinical reviewers. Written as <c>suites.&lt;suite&gt;.probes.sex_swap</c> (see docs/results-schema.md).
/// </summary>
public sealed record SexSwapProbeSummary(
    MetricValue FlipRate,
    McNemarResult McNemarExact,
    McNemarResult McNemarMidP,
    int Probed,
    IReadOnlyDictionary<string, int> Skipped,
    IReadOnlyList<ProbePair> Flipped)
{
    public static SexSwapProbeSummary Summarize(IReadOnlyList<ProbePair> pairs, IEnumerable<SexSwapResult> skipped)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(skipped);
        var flips = Proportions.Wilson(pairs.Count(p => p.Flipped), pairs.Count);
        // b: right originally, wrong once swapped; c: the reverse.
        var b = pairs.Count(p => p.OriginalCorrect && !p.SwappedCorrect);
        var c = pairs.Count(p => !p.OriginalCorrect && p.SwappedCorrect);
        var skips = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in skipped.Where(s => !s.Eligible))
        {
            skips[s.SkipRule!] = skips.GetValueOrDefault(s.SkipRule!) + 1;
        }

        return new SexSwapProbeSummary(
            new MetricValue(flips.Value, flips.Low, flips.High, flips.N, flips.Method),
            McNemar.Exact(b, c),
            McNemar.MidP(b, c),
            pairs.Count,
            skips,
            pairs.Where(p => p.Flipped).OrderBy(p => p.ItemId, StringComparer.Ordinal).ToList());
    }
}
