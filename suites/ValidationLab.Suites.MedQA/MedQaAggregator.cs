using ValidationLab.Results;
using ValidationLab.Statistics;

namespace ValidationLab.Suites.MedQA;

/// <summary>
/// Suite metrics from item results. Accuracy rests on the items that got an answer (scored + unparseable);
/// errored items are counted but never scored as wrong. Every dictionary is ordinal-sorted so results.json is
/// byte-for-byte reproducible.
/// </summary>
internal static class MedQaAggregator
{
    public const string MetaInfo = "meta_info";

    public static SuiteResult Aggregate(string suite, string mode, IReadOnlyList<ItemResult> results, IReadOnlyList<string> extraNotes)
    {
        ArgumentNullException.ThrowIfNull(results);
        var answered = results.Where(r => r.Status != ItemStatus.Errored).ToList();
        var scored = answered.Count(r => r.Status == ItemStatus.Scored);
        var unparseable = answered.Count - scored;
        var errored = results.Count - answered.Count;

        var metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal)
        {
            ["accuracy"] = Accuracy(answered),
            ["unparseable_rate"] = FromEstimate(Proportions.Wilson(unparseable, answered.Count)),
            ["errored"] = new MetricValue(errored, null, null, results.Count, "count") { Kind = MetricKind.Count },
            ["n_items"] = new MetricValue(results.Count, null, null, results.Count, "count") { Kind = MetricKind.Count },
        };

        var notes = new List<string>
        {
            $"Accuracy is over the {answered.Count} items that got an answer; the {unparseable} whose letter could not be read are scored incorrect and also reported as unparseable_rate.",
            errored == 0
                ? "No item errored."
                : $"{errored} item(s) errored (no answer from the runner) and are left out of accuracy; they are not counted as wrong.",
            $"predicted_letter counts the {scored} answers with a letter; gold_letter counts the gold letters of the same {answered.Count} answered items, so a skew between them shows position bias.",
        };
        notes.AddRange(extraNotes);

        return new SuiteResult
        {
            Suite = suite,
            Mode = mode,
            Counts = new SuiteCounts(results.Count, scored, unparseable, errored),
            Metrics = metrics,
            Breakdowns = Breakdowns(answered),
            Distributions = Distributions(answered),
            Notes = notes,
        };
    }

    private static MetricValue Accuracy(IReadOnlyCollection<ItemResult> answered) =>
        FromEstimate(Proportions.Wilson(answered.Count(r => r.Correct == true), answered.Count));

    /// <summary>A proportion over no item is absent (null with the reason), never 0 with an interval 0–1.</summary>
    private static MetricValue FromEstimate(Estimate e) =>
        e.N == 0 ? MetricValue.Absent(0, e.Method, MetricValue.NoScoredItems) : new(e.Value, e.Low, e.High, e.N, e.Method);

    private static SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>> Breakdowns(
        IReadOnlyList<ItemResult> answered)
    {
        var breakdowns = new SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>>(StringComparer.Ordinal);
        if (!answered.Any(r => r.Strata.ContainsKey(MetaInfo)))
        {
            // The Hugging Face layout has no meta_info: an empty breakdown says nothing, so leave it out.
            return breakdowns;
        }

        var byValue = new SortedDictionary<string, IReadOnlyDictionary<string, MetricValue>>(StringComparer.Ordinal);
        foreach (var group in answered.GroupBy(r => r.Strata.TryGetValue(MetaInfo, out var v) ? v : "(missing)", StringComparer.Ordinal))
        {
            byValue[group.Key] = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal) { ["accuracy"] = Accuracy(group.ToList()) };
        }

        breakdowns[MetaInfo] = byValue;
        return breakdowns;
    }

    private static SortedDictionary<string, IReadOnlyDictionary<string, int>> Distributions(IReadOnlyList<ItemResult> answered)
    {
        // Every letter from A to the highest one seen (at least D, as MedQA always has four options) appears in both
        // distributions, with zero counts, so the two line up letter by letter.
        var highest = answered.SelectMany(r => new[] { r.Gold, r.Prediction })
            .Where(l => l is { Length: 1 } && char.IsAsciiLetterUpper(l[0]))
            .Select(l => l![0]).DefaultIfEmpty('D').Max();
        if (highest < 'D')
        {
            highest = 'D';
        }

        var predicted = Empty(highest);
        var gold = Empty(highest);
        foreach (var result in answered)
        {
            if (result.Prediction is { } p && predicted.ContainsKey(p))
            {
                predicted[p]++;
            }

            if (result.Gold is { } g && gold.ContainsKey(g))
            {
                gold[g]++;
            }
        }

        return new SortedDictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal)
        {
            ["gold_letter"] = gold,
            ["predicted_letter"] = predicted,
        };
    }

    private static SortedDictionary<string, int> Empty(char highest)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var c = 'A'; c <= highest; c++)
        {
            counts[c.ToString()] = 0;
        }

        return counts;
    }
}
