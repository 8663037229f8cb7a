using ValidationLab.Results;
using ValidationLab.Statistics;

namespace ValidationLab.Suites.MedQA;

/// <summary>
/// Suite metrics from item results. Accuracy rests on the items that got an answer (scored + unparseable);
/// errored items are counted but never scored as wrong. Every dictionary is ordinal-sorted so results.json is
/// byte-for-byte reproducible. Everything is counted in one pass into a <see cref="MedQaTally"/>, from the items
/// (<see cref="Aggregate"/>) or from a run read once for the slicing stage (<see cref="Prepare"/>).
/// </summary>
internal static class MedQaAggregator
{
    public const string MetaInfo = "meta_info";

    private const string Missing = "(missing)";

    public static SuiteResult Aggregate(string suite, string mode, IReadOnlyList<ItemResult> results, IReadOnlyList<string> extraNotes)
    {
        ArgumentNullException.ThrowIfNull(results);
        var tally = new MedQaTally { Count = results.Count };
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            if (r.Status == ItemStatus.Errored)
            {
                continue;
            }

            var correct = r.Correct == true;
            tally.AddAnswered(r.Status == ItemStatus.Scored, correct, Letter(r.Prediction), Letter(r.Gold));
            var hasMeta = r.Strata.TryGetValue(MetaInfo, out var meta);
            tally.AnyMeta |= hasMeta;
            tally.AddMeta(hasMeta ? meta! : Missing, correct ? 1 : 0, 1);
        }

        return Build(suite, mode, tally, extraNotes);
    }

    /// <summary>The items' fields aggregation reads, as arrays, so that any subset is counted without the items.</summary>
    public static PreparedItems Prepare(IReadOnlyList<ItemResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var prepared = new PreparedItems(results.Count);
        var codeOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            prepared.Status[i] = r.Status;
            prepared.Correct[i] = r.Correct == true;
            prepared.Predicted[i] = Letter(r.Prediction);
            prepared.Gold[i] = Letter(r.Gold);
            var code = -1;
            if (r.Strata.TryGetValue(MetaInfo, out var meta) && !codeOf.TryGetValue(meta, out code))
            {
                code = prepared.MetaNames.Count;
                codeOf[meta] = code;
                prepared.MetaNames.Add(meta);
            }

            prepared.Meta[i] = code;
        }

        return prepared;
    }

    public static SuiteResult Aggregate(string suite, string mode, PreparedItems prepared, IReadOnlyList<int> indices, IReadOnlyList<string> extraNotes)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(indices);
        var tally = new MedQaTally { Count = indices.Count };

        // Per meta_info code (the last slot: no meta_info) the correct and the answered items.
        var metaCorrect = new int[prepared.MetaNames.Count + 1];
        var metaAnswered = new int[prepared.MetaNames.Count + 1];
        for (var k = 0; k < indices.Count; k++)
        {
            var i = indices[k];
            if (prepared.Status[i] == ItemStatus.Errored)
            {
                continue;
            }

            var correct = prepared.Correct[i];
            tally.AddAnswered(prepared.Status[i] == ItemStatus.Scored, correct, prepared.Predicted[i], prepared.Gold[i]);
            var slot = prepared.Meta[i] < 0 ? prepared.MetaNames.Count : prepared.Meta[i];
            metaCorrect[slot] += correct ? 1 : 0;
            metaAnswered[slot]++;
        }

        for (var slot = 0; slot < metaAnswered.Length; slot++)
        {
            if (metaAnswered[slot] > 0)
            {
                var real = slot < prepared.MetaNames.Count;
                tally.AnyMeta |= real;
                tally.AddMeta(real ? prepared.MetaNames[slot] : Missing, metaCorrect[slot], metaAnswered[slot]);
            }
        }

        return Build(suite, mode, tally, extraNotes);
    }

    /// <summary>A single upper-case letter ("C") as 0–25; anything else (null, "AB", "c") is no letter (-1).</summary>
    private static int Letter(string? letter) =>
        letter is { Length: 1 } && char.IsAsciiLetterUpper(letter[0]) ? letter[0] - 'A' : -1;

    private static SuiteResult Build(string suite, string mode, MedQaTally tally, IReadOnlyList<string> extraNotes)
    {
        var answered = tally.Answered;
        var scored = tally.Scored;
        var unparseable = answered - scored;
        var errored = tally.Count - answered;

        var metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal)
        {
            ["accuracy"] = FromEstimate(Proportions.Wilson(tally.Correct, answered)),
            ["unparseable_rate"] = FromEstimate(Proportions.Wilson(unparseable, answered)),
            ["errored"] = new MetricValue(errored, null, null, tally.Count, "count") { Kind = MetricKind.Count },
            ["n_items"] = new MetricValue(tally.Count, null, null, tally.Count, "count") { Kind = MetricKind.Count },
        };

        var notes = new List<string>
        {
            $"Accuracy is over the {answered} items that got an answer; the {unparseable} whose letter could not be read are scored incorrect and also reported as unparseable_rate.",
            errored == 0
                ? "No item errored."
                : $"{errored} item(s) errored (no answer from the runner) and are left out of accuracy; they are not counted as wrong.",
            $"predicted_letter counts the {scored} answers with a letter; gold_letter counts the gold letters of the same {answered} answered items, so a skew between them shows position bias.",
        };
        notes.AddRange(extraNotes);

        return new SuiteResult
        {
            Suite = suite,
            Mode = mode,
            Counts = new SuiteCounts(tally.Count, scored, unparseable, errored),
            Metrics = metrics,
            Breakdowns = Breakdowns(tally),
            Distributions = Distributions(tally.Predicted, tally.Gold),
            Notes = notes,
        };
    }

    /// <summary>A proportion over no item is absent (null with the reason), never 0 with an interval 0–1.</summary>
    private static MetricValue FromEstimate(Estimate e) =>
        e.N == 0 ? MetricValue.Absent(0, e.Method, MetricValue.NoScoredItems) : new(e.Value, e.Low, e.High, e.N, e.Method);

    private static SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>> Breakdowns(MedQaTally tally)
    {
        var breakdowns = new SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>>(StringComparer.Ordinal);
        if (!tally.AnyMeta)
        {
            // The Hugging Face layout has no meta_info: an empty breakdown says nothing, so leave it out.
            return breakdowns;
        }

        var byValue = new SortedDictionary<string, IReadOnlyDictionary<string, MetricValue>>(StringComparer.Ordinal);
        foreach (var (value, counts) in tally.ByMeta)
        {
            byValue[value] = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal) { ["accuracy"] = FromEstimate(Proportions.Wilson(counts.Correct, counts.Answered)) };
        }

        breakdowns[MetaInfo] = byValue;
        return breakdowns;
    }

    private static SortedDictionary<string, IReadOnlyDictionary<string, int>> Distributions(int[] predictedCounts, int[] goldCounts)
    {
        // Every letter from A to the highest one seen (at least D, as MedQA always has four options) appears in both
        // distributions, with zero counts, so the two line up letter by letter.
        var highest = 'D' - 'A';
        for (var c = 25; c > highest; c--)
        {
            if (predictedCounts[c] > 0 || goldCounts[c] > 0)
            {
                highest = c;
                break;
            }
        }

        return new SortedDictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal)
        {
            ["gold_letter"] = Counts(goldCounts, highest),
            ["predicted_letter"] = Counts(predictedCounts, highest),
        };
    }

    private static SortedDictionary<string, int> Counts(int[] counts, int highest)
    {
        var letters = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c <= highest; c++)
        {
            letters[((char)('A' + c)).ToString()] = counts[c];
        }

        return letters;
    }

    /// <summary>What aggregation counts; answered items only, except <see cref="Count"/> (every item).</summary>
    private sealed class MedQaTally
    {
        public int Count { get; init; }

        public int Answered { get; private set; }

        public int Scored { get; private set; }

        public int Correct { get; private set; }

        public int[] Predicted { get; } = new int[26];

        public int[] Gold { get; } = new int[26];

        /// <summary>Some answered item has a meta_info; without one the breakdown is left out.</summary>
        public bool AnyMeta { get; set; }

        /// <summary>meta_info value ("(missing)" for items without one) -> correct and answered items.</summary>
        public Dictionary<string, (int Correct, int Answered)> ByMeta { get; } = new(StringComparer.Ordinal);

        public void AddAnswered(bool scored, bool correct, int predicted, int gold)
        {
            Answered++;
            Scored += scored ? 1 : 0;
            Correct += correct ? 1 : 0;
            if (predicted >= 0)
            {
                Predicted[predicted]++;
            }

            if (gold >= 0)
            {
                Gold[gold]++;
            }
        }

        public void AddMeta(string value, int correct, int answered)
        {
            var counts = ByMeta.GetValueOrDefault(value);
            ByMeta[value] = (counts.Correct + correct, counts.Answered + answered);
        }
    }
}

/// <summary>The fields of a run's items that MedQA aggregation reads, one array per field (see <see cref="MedQaAggregator.Prepare"/>).</summary>
internal sealed class PreparedItems(int count)
{
    public ItemStatus[] Status { get; } = new ItemStatus[count];

    public bool[] Correct { get; } = new bool[count];

    /// <summary>Predicted and gold letter as 0–25, or -1.</summary>
    public int[] Predicted { get; } = new int[count];

    public int[] Gold { get; } = new int[count];

    /// <summary>Index into <see cref="MetaNames"/>, or -1 when the item has no meta_info.</summary>
    public int[] Meta { get; } = new int[count];

    public List<string> MetaNames { get; } = [];
}
