using ValidationLab.Results;
using ValidationLab.Results.Slices;
using ValidationLab.Statistics;

namespace ValidationLab.Analysis.Slicing;

/// <summary>One slice family of one suite while it is computed: groups, their suite metrics, reference, comparisons.</summary>
internal sealed class FamilyWork
{
    private const double Recognised = 1e-9;

    private FamilyWork(SliceFamilySpec spec, SuiteWork suite)
    {
        Spec = spec;
        Suite = suite;
    }

    public SliceFamilySpec Spec { get; }

    public SuiteWork Suite { get; }

    public SortedDictionary<string, GroupWork> Groups { get; } = new(StringComparer.Ordinal);

    public string? ReferenceKey { get; private set; }

    public int Missing { get; private set; }

    public static FamilyWork Build(SliceSettings settings, SuiteWork suite, SliceFamilySpec spec, AttributeColumn[] columns, SliceFairness? overallFairness, int seed)
    {
        var family = new FamilyWork(spec, suite);
        var items = suite.Input.Items;

        // Each item's tuple of interned values is one long (mixed radix over the columns' value counts), so grouping
        // is a dictionary of longs; the group's name is built once per distinct tuple. Two tuples whose joined names
        // coincide (a value containing ", ") share a group, as they share a name.
        var slotOfTuple = new Dictionary<long, int>();
        var slotOfKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var slots = new List<(string Key, string[] Values, List<int> Indices)>();
        for (var i = 0; i < items.Count; i++)
        {
            long tuple = 0;
            var complete = true;
            for (var a = 0; a < columns.Length; a++)
            {
                var code = columns[a].Codes[i];
                if (code < 0)
                {
                    complete = false;
                    break;
                }

                tuple = (tuple * columns[a].Names.Count) + code;
            }

            if (!complete)
            {
                family.Missing++;
                continue;
            }

            if (!slotOfTuple.TryGetValue(tuple, out var slot))
            {
                var values = new string[columns.Length];
                for (var a = 0; a < columns.Length; a++)
                {
                    values[a] = columns[a].Names[columns[a].Codes[i]];
                }

                var key = string.Join(", ", values);
                if (!slotOfKey.TryGetValue(key, out slot))
                {
                    slot = slots.Count;
                    slotOfKey[key] = slot;
                    slots.Add((key, values, []));
                }

                slotOfTuple[tuple] = slot;
            }

            slots[slot].Indices.Add(i);
        }

        var seen = suite.Clustered ? new int[items.Count] : null;
        var groups = new List<GroupWork>(slots.Count);
        for (var g = 0; g < slots.Count; g++)
        {
            var (key, values, indices) = slots[g];
            int clusters = indices.Count, answered = 0, correct = 0;
            if (seen is not null)
            {
                // Distinct clusters of the group: a stamp per cluster (g + 1), no set per group.
                clusters = 0;
                foreach (var i in indices)
                {
                    var c = suite.ClusterIndex[i];
                    if (seen[c] != g + 1)
                    {
                        seen[c] = g + 1;
                        clusters++;
                    }
                }
            }

            foreach (var i in indices)
            {
                answered += suite.Answered[i] ? 1 : 0;
                correct += suite.Correct[i] ? 1 : 0;
            }

            groups.Add(new GroupWork
            {
                Key = key,
                Values = new SortedDictionary<string, string>(spec.Attributes.Zip(values).ToDictionary(p => p.First, p => p.Second), StringComparer.Ordinal),
                Indices = [.. indices],
                Clusters = clusters,
                Suppressed = indices.Count < settings.MinCell || (suite.Clustered && clusters < settings.MinCell),
                AnsweredCount = answered,
                CorrectCount = correct,
            });
        }

        // Aggregation is pure, so the groups aggregate in parallel; each writes only its own group.
        Parallel.ForEach(groups.Where(g => !g.Suppressed), group =>
        {
            // The suite's own definitions: same metrics, intervals and n as its overall result, on the slice's items.
            var result = suite.Aggregation.Aggregate(group.Indices);
            foreach (var (name, metric) in result.Metrics)
            {
                if (metric.Kind != MetricKind.Count && SliceAnalyzer.ValueOf(metric) is not null && metric.N >= settings.MinCell)
                {
                    group.Metrics[name] = new MetricWork(metric);
                }
            }

            if (overallFairness is not null)
            {
                group.Fairness = RiskFairness.Rates(new IndexedItems(items, group.Indices), settings.AlertThreshold);
            }
        });
        foreach (var group in groups)
        {
            family.Groups[group.Key] = group;
        }

        family.ChooseReference(settings);
        family.Compare(settings, overallFairness, seed);
        return family;
    }

    public SliceFamily ToResult(SliceSettings settings) => new()
    {
        Attributes = Spec.Attributes,
        ReferenceGroup = ReferenceKey,
        Missing = Missing,
        Groups = new SortedDictionary<string, SliceGroup>(Groups.ToDictionary(g => g.Key, g => g.Value.ToResult(settings, Suite.Clustered)), StringComparer.Ordinal),
    };

    private void ChooseReference(SliceSettings settings)
    {
        var candidates = Groups.Values.Where(g => !g.Suppressed).ToList();
        GroupWork? reference = settings.Reference switch
        {
            SliceReferenceKind.Overall => null,
            SliceReferenceKind.Named => candidates.FirstOrDefault(g => Spec.Attributes.All(a => settings.ReferenceGroups.TryGetValue(a, out var v) && g.Values[a] == v)),
            // Largest; ties go to the first key in ordinal order.
            _ => candidates.OrderByDescending(g => g.Indices.Length).ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault(),
        };
        if (reference is not null)
        {
            reference.IsReference = true;
            ReferenceKey = reference.Key;
        }
        else if (settings.Reference == SliceReferenceKind.Overall)
        {
            ReferenceKey = SliceAnalyzer.OverallKey;
        }
    }

    private void Compare(SliceSettings settings, SliceFairness? overallFairness, int seed)
    {
        if (ReferenceKey is null)
        {
            return;
        }

        var overall = ReferenceKey == SliceAnalyzer.OverallKey;
        var reference = overall ? null : Groups[ReferenceKey];
        var referenceFairness = overall ? overallFairness : reference!.Fairness;
        foreach (var group in Groups.Values.Where(g => !g.Suppressed && !g.IsReference))
        {
            if (group.Fairness is { } f && referenceFairness is not null)
            {
                group.Fairness = RiskFairness.Compare(f, referenceFairness);
            }

            // The complement (every other item of the suite) is the independent comparator for "overall"; it is
            // built only when a test needs its items (risk scores, or patients to resample).
            var comparator = overall ? null : reference;
            foreach (var (name, work) in group.Metrics)
            {
                var referenceMetric = overall
                    ? Suite.Input.Overall.Metrics.GetValueOrDefault(name)
                    : reference!.Metrics.GetValueOrDefault(name)?.Metric;
                if (referenceMetric is null || SliceAnalyzer.ValueOf(referenceMetric) is not { } refValue)
                {
                    continue;
                }

                var value = SliceAnalyzer.ValueOf(work.Metric)!.Value;
                work.Difference = value - refValue;
                work.Ratio = refValue != 0 ? value / refValue : null;
                var testSeed = SliceAnalyzer.StableSeed(seed, $"{Suite.Input.Suite.Name}|{Spec.Name}|{group.Key}|{name}");
                switch (work.Metric.Kind)
                {
                    case MetricKind.Proportion:
                        TestProportion(settings, work, referenceMetric, group, comparator, testSeed);
                        break;
                    case MetricKind.Auroc:
                        TestAuroc(settings, work, group, comparator, testSeed);
                        break;
                    default:
                        work.NoTest = $"no test for metrics of kind {work.Metric.Kind}";
                        break;
                }
            }
        }
    }

    /// <param name="comparator">The reference group, or null for the complement of <paramref name="group"/>.</param>
    private void TestProportion(SliceSettings settings, MetricWork work, MetricValue referenceMetric, GroupWork group, GroupWork? comparator, ulong seed)
    {
        var overall = comparator is null;
        var n1 = work.Metric.N;
        var s1 = (int)Math.Round(SliceAnalyzer.ValueOf(work.Metric)!.Value * n1);
        int n2, s2;
        if (overall)
        {
            n2 = referenceMetric.N - n1;
            s2 = (int)Math.Round(SliceAnalyzer.ValueOf(referenceMetric)!.Value * referenceMetric.N) - s1;
        }
        else
        {
            n2 = referenceMetric.N;
            s2 = (int)Math.Round(SliceAnalyzer.ValueOf(referenceMetric)!.Value * n2);
        }

        if (n2 <= 0 || s2 < 0 || s2 > n2)
        {
            return;
        }

        // Is the metric the share of answered items that are correct, in both groups? Then it has an item-level
        // form that patients can be resampled by. Counted once per group (the complement's are the suite's less
        // the group's), with the arithmetic of a mean over the outcomes.
        var (answered1, correct1) = (group.AnsweredCount, group.CorrectCount);
        var (answered2, correct2) = overall
            ? (Suite.AnsweredCount - answered1, Suite.CorrectCount - correct1)
            : (comparator!.AnsweredCount, comparator.CorrectCount);
        var itemLevel = answered1 == n1 && answered2 == n2
            && Math.Abs(Mean(correct1, answered1) - ((double)s1 / n1)) < Recognised && Math.Abs(Mean(correct2, answered2) - ((double)s2 / n2)) < Recognised;
        if (Suite.Clustered && itemLevel)
        {
            var other = comparator?.Indices ?? Complement(group);
            var first = Outcomes(group.Indices);
            var second = Outcomes(other);
            work.Raw = Bootstrap(settings, group.Indices, other, first, second, null, null, (_, o) => WeightedMetrics.Proportion(o), seed, work.Difference!.Value);
            work.Detectable = SliceStatistics.DetectableDifference(work.Raw.StandardError ?? 0);
            return;
        }

        work.Raw = SliceStatistics.Proportions(s1, n1, s2, n2);
        if (Suite.Clustered)
        {
            work.Raw = work.Raw with { Method = work.Raw.Method + "; items treated as independent (the metric has no item-level form to resample by patient)" };
        }

        var pooled = (double)(s1 + s2) / (n1 + n2);
        work.Detectable = SliceStatistics.DetectableDifference(SliceStatistics.ProportionStandardError(pooled, n1, n2));
    }

    private void TestAuroc(SliceSettings settings, MetricWork work, GroupWork group, GroupWork? comparator, ulong seed)
    {
        var first = RiskOf(group);
        var second = comparator is null ? ComplementRisk(group) : RiskOf(comparator);
        if (!TwoPerClass(first.Labels) || !TwoPerClass(second.Labels))
        {
            work.NoTest = "DeLong needs at least 2 events and 2 non-events in each group";
            return;
        }

        var a1 = first.Auroc;
        var a2 = second.Auroc;
        if (Math.Abs(a1.Auc - SliceAnalyzer.ValueOf(work.Metric)!.Value) > Recognised)
        {
            work.NoTest = "the suite's AUROC is not the item-level AUROC of the slice's scores, so DeLong would test another quantity";
            return;
        }

        if (Suite.Clustered)
        {
            var other = comparator?.Indices ?? Complement(group);
            work.Raw = Bootstrap(settings, group.Indices, other, first.Labels, second.Labels, first.Scores, second.Scores, WeightedMetrics.Auroc, seed, a1.Auc - a2.Auc);
            work.Detectable = SliceStatistics.DetectableDifference(work.Raw.StandardError ?? 0);
            return;
        }

        work.Raw = SliceStatistics.UnpairedDeLong(a1, a2);
        work.Detectable = SliceStatistics.DetectableDifference(Math.Sqrt(a1.Variance + a2.Variance));
    }

    private RawTest Bootstrap(SliceSettings settings, int[] slice, int[] other, bool[] o1, bool[] o2, double[]? s1, double[]? s2, Func<double[], bool[], WeightedStatistic> metric, ulong seed, double observed)
    {
        // Outcomes and scores of the slice, then of its comparator, with the patient of each item, for a joint
        // resample of patients (a patient in both groups, e.g. over two age bands, moves as one).
        var sliceItems = ItemsWithOutcome(slice, s1 is not null);
        var otherItems = ItemsWithOutcome(other, s1 is not null);
        var clusters = sliceItems.Concat(otherItems).Select(i => Suite.ClusterIndex[i]).ToArray();
        var scores = s1 is null ? new double[o1.Length + o2.Length] : [.. s1, .. s2!];
        bool[] outcomes = [.. o1, .. o2];
        return SliceStatistics.ClusterBootstrap(clusters, o1.Length, metric, scores, outcomes, settings.BootstrapResamples, seed, observed);
    }

    /// <summary>Every item of the suite not in the group, in item order; built once per group.</summary>
    private int[] Complement(GroupWork group)
    {
        if (group.ComplementIndices is { } cached)
        {
            return cached;
        }

        var inSlice = new bool[Suite.Input.Items.Count];
        foreach (var i in group.Indices)
        {
            inSlice[i] = true;
        }

        var complement = new int[inSlice.Length - group.Indices.Length];
        var next = 0;
        for (var i = 0; i < inSlice.Length; i++)
        {
            if (!inSlice[i])
            {
                complement[next++] = i;
            }
        }

        group.ComplementIndices = complement;
        return complement;
    }

    private RiskSet RiskOf(GroupWork group) => group.Risk ??= RiskSet.Of(Suite, group.Indices);

    private RiskSet ComplementRisk(GroupWork group) => group.ComplementRisk ??= RiskSet.Of(Suite, Complement(group));

    private List<int> ItemsWithOutcome(int[] indices, bool risk)
    {
        var facts = risk ? Suite.IsRisk : Suite.Answered;
        var kept = new List<int>(indices.Length);
        foreach (var i in indices)
        {
            if (facts[i])
            {
                kept.Add(i);
            }
        }

        return kept;
    }

    private bool[] Outcomes(int[] indices)
    {
        var outcomes = new List<bool>(indices.Length);
        foreach (var i in indices)
        {
            if (Suite.Answered[i])
            {
                outcomes.Add(Suite.Correct[i]);
            }
        }

        return [.. outcomes];
    }

    private static bool TwoPerClass(bool[] labels)
    {
        var positives = labels.Count(l => l);
        return positives >= 2 && labels.Length - positives >= 2;
    }

    private static double Mean(int successes, int n) => n == 0 ? double.NaN : (double)successes / n;
}
