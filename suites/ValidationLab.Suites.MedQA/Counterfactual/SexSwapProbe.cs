using System.Collections.Concurrent;
using System.Globalization;
using ValidationLab.Results;
using ValidationLab.Results.Probes;

namespace ValidationLab.Suites.MedQA.Counterfactual;

/// <summary>
/// The sex-swap probe as the MedQA suite runs it: the rewrite of every item (decided at load), the swapped answer of
/// every probed item (recorded when the item is scored), and the figures written into the suite result. The
/// swapped request is addressed as <c>&lt;item_id&gt;#sex_swap</c> (request id <c>sex_swap</c>) so that a predictions
/// file can answer it like any other item. Accuracy never sees the swapped answers.
/// </summary>
internal sealed class SexSwapProbe(SexSwapExclusions exclusions)
{
    public const string IdSuffix = "#sex_swap";
    public const string RequestId = "sex_swap";
    public const string MetricPrefix = "probe_sex_swap_";

    private readonly SexSwapRewriter _rewriter = new(exclusions);
    private readonly ConcurrentDictionary<string, SexSwapResult> _rewrites = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ItemResult> _swappedAnswers = new(StringComparer.Ordinal);

    public static string SwappedId(string itemId) => itemId + IdSuffix;

    /// <summary>Rewrite the vignette; the options are checked against the exclusions too ("Ovarian torsion").</summary>
    public SexSwapResult Rewrite(MedQaQuestion question)
    {
        var result = _rewriter.Rewrite(question.Question, string.Join("\n", question.Options.Select(o => o.Text)));
        _rewrites[question.Id] = result;
        return result;
    }

    public SexSwapResult? RewriteOf(string itemId) => _rewrites.GetValueOrDefault(itemId);

    public void RecordSwapped(string itemId, ItemResult swapped) => _swappedAnswers[itemId] = swapped;

    public const string Name = "sex_swap";

    /// <summary>
    /// Add the probe to the suite result built from the original answers: the structured block
    /// (<c>probes.sex_swap</c>), and the same figures as <c>probe_sex_swap_*</c> metrics (which gate policies can
    /// address as metric paths) and notes (the flipped items side by side).
    /// </summary>
    public SuiteResult AddTo(SuiteResult result, IReadOnlyList<ItemResult> originals)
    {
        var pairs = new List<ProbePair>();
        var skipped = new List<SexSwapResult>();
        var errored = 0;
        foreach (var original in originals)
        {
            if (_rewrites.GetValueOrDefault(original.ItemId) is not { } rewrite)
            {
                continue;
            }

            if (!rewrite.Eligible)
            {
                skipped.Add(rewrite);
                continue;
            }

            // An errored side is no answer: the pair is counted as errored, never as a flip.
            if (original.Status == ItemStatus.Errored || _swappedAnswers.GetValueOrDefault(original.ItemId) is not { } swapped
                || swapped.Status == ItemStatus.Errored)
            {
                errored++;
                continue;
            }

            var question = (original.Input ?? "");
            pairs.Add(new ProbePair(original.ItemId, question, swapped.Input ?? "", original.Prediction, swapped.Prediction,
                original.Correct == true, swapped.Correct == true));
        }

        var summary = SexSwapProbeSummary.Summarize(pairs, skipped);
        var metrics = new SortedDictionary<string, MetricValue>(result.Metrics.ToDictionary(), StringComparer.Ordinal)
        {
            [MetricPrefix + "flip_rate"] = summary.Probed == 0
                ? MetricValue.Absent(0, summary.FlipRate.Method, "no probed item got both answers")
                : summary.FlipRate,
            [MetricPrefix + "mcnemar_p"] = PValue(summary.McNemarExact, summary.Probed),
            [MetricPrefix + "mcnemar_mid_p"] = PValue(summary.McNemarMidP, summary.Probed),
            [MetricPrefix + "mcnemar_b"] = Count(summary.McNemarExact.B, summary.Probed),
            [MetricPrefix + "mcnemar_c"] = Count(summary.McNemarExact.C, summary.Probed),
            [MetricPrefix + "probed"] = Count(summary.Probed, originals.Count),
            [MetricPrefix + "errored"] = Count(errored, originals.Count),
        };
        foreach (var (rule, count) in summary.Skipped)
        {
            metrics[MetricPrefix + "skipped_" + rule] = Count(count, originals.Count);
        }

        var notes = new List<string>(result.Notes)
        {
            string.Create(CultureInfo.InvariantCulture,
                $"Sex-swap probe: {summary.Probed} item(s) were re-asked with the patient's sex swapped (request id '<item_id>{IdSuffix}') and got both answers; {errored} probed item(s) errored on either side and are left out (never counted as flips); {skipped.Count} item(s) were skipped by the reviewed exclusion list ({(summary.Skipped.Count == 0 ? "none" : string.Join(", ", summary.Skipped.Select(s => $"{s.Key} {s.Value}")))}). Accuracy is over the original answers only."),
            string.Create(CultureInfo.InvariantCulture,
                $"Sex-swap probe: the answer changed on {summary.Flipped.Count} of {summary.Probed} ({MetricPrefix}flip_rate, Wilson 95% CI); McNemar on original vs swapped correctness: b = {summary.McNemarExact.B} right only originally, c = {summary.McNemarExact.C} right only when swapped, exact p = {summary.McNemarExact.PValue:0.####}, mid-p = {summary.McNemarMidP.PValue:0.####}."),
        };
        var goldOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var flip in summary.Flipped)
        {
            goldOf[flip.ItemId] = originals.First(o => o.ItemId == flip.ItemId).Gold;
        }

        foreach (var flip in summary.Flipped)
        {
            var gold = goldOf[flip.ItemId];
            notes.Add($"Sex-swap flip {flip.ItemId}: gold {gold}; original answer {flip.OriginalAnswer ?? "(none)"}, swapped answer {flip.SwappedAnswer ?? "(none)"}.\nOriginal: {flip.OriginalPrompt}\nSwapped: {flip.SwappedPrompt}");
        }

        var probes = new SortedDictionary<string, ProbeResult>(result.Probes.ToDictionary(), StringComparer.Ordinal)
        {
            [Name] = new ProbeResult
            {
                Probe = Name,
                Asked = summary.Probed + errored,
                Probed = summary.Probed,
                Errored = errored,
                Skipped = summary.Skipped,
                FlipRate = metrics[MetricPrefix + "flip_rate"],
                Mcnemar = new ProbeMcNemar
                {
                    B = summary.McNemarExact.B,
                    C = summary.McNemarExact.C,
                    Method = summary.McNemarExact.Method,
                    Statistic = summary.McNemarExact.Statistic,
                    PValue = summary.McNemarExact.PValue,
                    MidP = summary.McNemarMidP.PValue,
                },
                Flipped = summary.Flipped.Select(f => new ProbeFlip
                {
                    ItemId = f.ItemId,
                    Gold = goldOf[f.ItemId],
                    OriginalAnswer = f.OriginalAnswer,
                    ChangedAnswer = f.SwappedAnswer,
                }).ToList(),
            },
        };

        return result with { Metrics = metrics, Notes = notes, Probes = probes };
    }

    private static MetricValue PValue(ValidationLab.Statistics.McNemarResult test, int probed) => probed == 0
        ? MetricValue.Absent(0, test.Method, "no probed item got both answers")
        : new MetricValue(test.PValue, null, null, probed, test.Method) { Kind = MetricKind.Score };

    private static MetricValue Count(int value, int n) => new(value, null, null, n, "count") { Kind = MetricKind.Count };
}
