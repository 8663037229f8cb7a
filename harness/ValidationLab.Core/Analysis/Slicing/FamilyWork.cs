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

    public static FamilyWork Build(SliceSettings settings, SuiteWork suite, SliceFamilySpec spec, string?[][] values, SliceFairness? overallFairness, int seed)
    {
        var family = new FamilyWork(spec, suite);
        var items = suite.Input.Items;
        var members = new SortedDictionary<string, (string[] Values, List<int> Indices)>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var tuple = new string[spec.Attributes.Count];
            var complete = true;
            for (var a = 0; a < tuple.Length && complete; a++)
            {
                complete = values[a][i] is not null;
                tuple[a] = values[a][i]!;
            }

            if (!complete)
            {
                family.Missing++;
                continue;
            }

            var key = string.Join(", ", tuple);
            if (!members.TryGetValue(key, out var m))
            {
                m = (tuple, []);
                members[key] = m;
            }

            m.Indices.Add(i);
        }

        var groups = members.Select(m =>
        {
            var clusters = m.Value.Indices.Select(i => suite.ClusterIndex[i]).Distinct().Count();
            return new GroupWork
            {
                Key = m.Key,
                Values = new SortedDictionary<string, string>(spec.Attributes.Zip(m.Value.Values).ToDictionary(p => p.First, p => p.Second), StringComparer.Ordinal),
                Indices = [.. m.Value.Indices],
                Clusters = clusters,
                Suppressed = m.Value.Indices.Count < settings.MinCell || (suite.Clustered && clusters < settings.MinCell),
            };
        }).ToList();

        // ISuite.Aggregate is pure, so the groups aggregate in parallel; each writes only its own group.
        Parallel.ForEach(groups.Where(g => !g.Suppressed), group =>
        {
            // The suite's own definitions: same metrics, intervals and n as its overall result, on the slice's items.
            var result = suite.Input.Suite.Aggregate(group.Indices.Select(i => items[i]).ToList());
            foreach (var (name, metric) in result.Metrics)
            {
                if (metric.Kind != MetricKind.Count && SliceAnalyzer.ValueOf(metric) is not null && metric.N >= settings.MinCell)
                {
                    group.Metrics[name] = new MetricWork(metric);
                }
            }

            if (overallFairness is not null)
            {
                group.Fairness = RiskFairness.Rates(group.Indices.Select(i => items[i]), settings.AlertThreshold);
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

            // The complement (every other item of the suite) is the independent comparator for "overall".
            var other = overall ? Complement(group.Indices) : reference!.Indices;
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
                        TestProportion(settings, work, referenceMetric, group.Indices, other, overall, testSeed);
                        break;
                    case MetricKind.Auroc:
                        TestAuroc(settings, work, group.Indices, other, testSeed);
                        break;
                    default:
                        work.NoTest = $"no test for metrics of kind {work.Metric.Kind}";
                        break;
                }
            }
        }
    }

    private void TestProportion(SliceSettings settings, MetricWork work, MetricValue referenceMetric, int[] slice, int[] other, bool overall, ulong seed)
    {
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

        var first = Outcomes(slice);
        var second = Outcomes(other);
        var itemLevel = first.Length == n1 && second.Length == n2
            && Math.Abs(Mean(first) - ((double)s1 / n1)) < Recognised && Math.Abs(Mean(second) - ((double)s2 / n2)) < Recognised;
        if (Suite.Clustered && itemLevel)
        {
            work.Raw = Bootstrap(settings, slice, other, first, second, null, null, (_, o) => WeightedMetrics.Proportion(o), seed, work.Difference!.Value);
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

    private void TestAuroc(SliceSettings settings, MetricWork work, int[] slice, int[] other, ulong seed)
    {
        var (s1, l1) = Risk(slice);
        var (s2, l2) = Risk(other);
        if (!TwoPerClass(l1) || !TwoPerClass(l2))
        {
            work.NoTest = "DeLong needs at least 2 events and 2 non-events in each group";
            return;
        }

        var a1 = Discrimination.Auroc(s1, l1);
        var a2 = Discrimination.Auroc(s2, l2);
        if (Math.Abs(a1.Auc - SliceAnalyzer.ValueOf(work.Metric)!.Value) > Recognised)
        {
            work.NoTest = "the suite's AUROC is not the item-level AUROC of the slice's scores, so DeLong would test another quantity";
            return;
        }

        if (Suite.Clustered)
        {
            work.Raw = Bootstrap(settings, slice, other, l1, l2, s1, s2, WeightedMetrics.Auroc, seed, a1.Auc - a2.Auc);
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

    private int[] Complement(int[] indices)
    {
        var inSlice = new bool[Suite.Input.Items.Count];
        foreach (var i in indices)
        {
            inSlice[i] = true;
        }

        return Enumerable.Range(0, inSlice.Length).Where(i => !inSlice[i]).ToArray();
    }

    private List<int> ItemsWithOutcome(int[] indices, bool risk) =>
        indices.Where(i => risk ? IsRisk(Suite.Input.Items[i]) : IsAnswered(Suite.Input.Items[i])).ToList();

    private bool[] Outcomes(int[] indices) =>
        indices.Select(i => Suite.Input.Items[i]).Where(IsAnswered).Select(r => r.Correct!.Value).ToArray();

    private (double[] Scores, bool[] Labels) Risk(int[] indices)
    {
        var risk = indices.Select(i => Suite.Input.Items[i]).Where(IsRisk).ToList();
        return (risk.Select(r => r.Score!.Value).ToArray(), risk.Select(r => r.Label!.Value).ToArray());
    }

    private static bool IsAnswered(ItemResult r) => r.Status != ItemStatus.Errored && r.Correct is not null;

    private static bool IsRisk(ItemResult r) => r.Status != ItemStatus.Errored && r.Score is not null && r.Label is not null;

    private static bool TwoPerClass(bool[] labels)
    {
        var positives = labels.Count(l => l);
        return positives >= 2 && labels.Length - positives >= 2;
    }

    private static double Mean(bool[] values) => values.Length == 0 ? double.NaN : (double)values.Count(v => v) / values.Length;
}
