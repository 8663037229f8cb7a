using System.Globalization;
using ValidationLab.Results;
using ValidationLab.Results.Slices;
using ValidationLab.Statistics;
using ValidationLab.Suites;

namespace ValidationLab.Analysis.Slicing;

/// <summary>One suite's slices while they are computed; becomes a <see cref="SuiteSlices"/> once p-values are adjusted.</summary>
internal sealed class SuiteWork
{
    private readonly List<FamilyWork> _families = [];
    private readonly List<string> _notApplicable = [];

    private SuiteWork(SliceInput input) => Input = input;

    public SliceInput Input { get; }

    /// <summary>Items are clustered when some cluster (patient) holds more than one item.</summary>
    public bool Clustered { get; private set; }

    public int[] ClusterIndex { get; private set; } = [];

    /// <summary>Per item: it got an answer (Correct is known and it did not error).</summary>
    public bool[] Answered { get; private set; } = [];

    /// <summary>Per item: answered and correct.</summary>
    public bool[] Correct { get; private set; } = [];

    /// <summary>Per item: it carries a risk score and an outcome and did not error.</summary>
    public bool[] IsRisk { get; private set; } = [];

    public int AnsweredCount { get; private set; }

    public int CorrectCount { get; private set; }

    /// <summary>The suite's aggregation of any group of the items (its own, through <see cref="ISubsetAggregator"/> when it has one).</summary>
    public IPreparedAggregation Aggregation { get; private set; } = null!;

    public static SuiteWork Build(SliceSettings settings, SliceInput input, int seed)
    {
        var work = new SuiteWork(input);
        var items = input.Items;
        var keys = new SliceKeys(settings);

        // One pass reads every item fact and every sliced attribute; the families then work on int arrays.
        var attributes = settings.Attributes.ToList();
        var columns = attributes.Select(_ => new AttributeColumn(items.Count)).ToArray();
        var clusterOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var ownCluster = new Dictionary<string, int>(StringComparer.Ordinal);
        work.ClusterIndex = new int[items.Count];
        work.Answered = new bool[items.Count];
        work.Correct = new bool[items.Count];
        work.IsRisk = new bool[items.Count];
        var clusters = 0;
        var anyRisk = false;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];

            // An item without a cluster is its own cluster (keyed by its id, apart from every declared cluster id).
            var byId = item.ClusterId is null ? ownCluster : clusterOf;
            if (!byId.TryGetValue(item.ClusterId ?? item.ItemId, out var c))
            {
                c = clusters++;
                byId[item.ClusterId ?? item.ItemId] = c;
            }

            work.ClusterIndex[i] = c;
            var errored = item.Status == ItemStatus.Errored;
            work.Answered[i] = !errored && item.Correct is not null;
            work.Correct[i] = work.Answered[i] && item.Correct == true;
            work.IsRisk[i] = !errored && item.Score is not null && item.Label is not null;
            anyRisk |= work.IsRisk[i];
            work.AnsweredCount += work.Answered[i] ? 1 : 0;
            work.CorrectCount += work.Correct[i] ? 1 : 0;
            for (var a = 0; a < columns.Length; a++)
            {
                columns[a].Add(i, keys.Value(item.Strata, attributes[a]));
            }
        }

        work.Clustered = clusters < items.Count;
        work.Aggregation = input.Suite is ISubsetAggregator subsets ? subsets.Prepare(items) : new EachGroup(input.Suite, items);

        // Risk fairness applies when some item has a score and an outcome (as RiskFairness.Applies).
        var overallFairness = anyRisk ? RiskFairness.Rates(items, settings.AlertThreshold) : null;
        var columnOf = attributes.Zip(columns).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        foreach (var spec in settings.Families)
        {
            var family = spec.Attributes.Select(a => columnOf[a]).ToArray();
            if (family.Any(c => c.Names.Count == 0))
            {
                // Validated before the run that some item of some suite has every attribute; this suite may not.
                work._notApplicable.Add(spec.Name);
                continue;
            }

            work._families.Add(FamilyWork.Build(settings, work, spec, family, overallFairness, seed));
        }

        return work;
    }

    public IEnumerable<MetricWork> Tests() => _families.SelectMany(f => f.Groups.Values).SelectMany(g => g.Metrics.Values).Where(m => m.Raw is not null);

    public SuiteSlices ToResult(SliceSettings settings)
    {
        var families = new SortedDictionary<string, SliceFamily>(StringComparer.Ordinal);
        foreach (var f in _families)
        {
            families[f.Spec.Name] = f.ToResult(settings);
        }

        return new SuiteSlices { Families = families, Gaps = Gaps(settings), NotApplicable = _notApplicable };
    }

    private SortedDictionary<string, SliceGap> Gaps(SliceSettings settings)
    {
        var gaps = new SortedDictionary<string, SliceGap>(StringComparer.Ordinal);
        var tested = _families
            .SelectMany(f => f.Groups.Values.SelectMany(g => g.Metrics.Select(m => (Slice: SliceAnalyzer.SliceName(f.Spec.Name, g.Key), Metric: m.Key, Work: m.Value))))
            .Where(t => t.Work.Raw is not null && t.Work.Difference is not null)
            .GroupBy(t => t.Metric, StringComparer.Ordinal);
        foreach (var metric in tested)
        {
            // Ties go to the first slice in ordinal order, so the gate input is reproducible.
            var ordered = metric.OrderByDescending(t => Math.Abs(t.Work.Difference!.Value)).ThenBy(t => t.Slice, StringComparer.Ordinal).ToList();
            var largest = ordered[0];
            var significant = ordered.FirstOrDefault(t => t.Work.AdjustedP < settings.Alpha);
            gaps[metric.Key] = new SliceGap
            {
                LargestGapSlice = largest.Slice,
                LargestGap = largest.Work.Difference,
                LargestGapAdjustedP = largest.Work.AdjustedP,
                LargestSignificantGapSlice = significant.Slice,
                LargestSignificantGap = significant.Work?.Difference,
                LargestSignificantGapAdjustedP = significant.Work?.AdjustedP,
                Tested = ordered.Count,
            };
        }

        return gaps;
    }
}

/// <summary>
/// One attribute's value for every item, read once per suite and interned: item i has the value
/// <c>Names[Codes[i]]</c>, or none when <c>Codes[i]</c> is -1. Families over the attribute share the column.
/// </summary>
internal sealed class AttributeColumn(int count)
{
    private readonly Dictionary<string, int> _codeOf = new(StringComparer.Ordinal);

    public int[] Codes { get; } = new int[count];

    public List<string> Names { get; } = [];

    public void Add(int item, string? value)
    {
        if (value is null)
        {
            Codes[item] = -1;
            return;
        }

        if (!_codeOf.TryGetValue(value, out var code))
        {
            code = Names.Count;
            _codeOf[value] = code;
            Names.Add(value);
        }

        Codes[item] = code;
    }
}

/// <summary>For a suite without <see cref="ISubsetAggregator"/>: its own Aggregate on each group, read in place.</summary>
internal sealed class EachGroup(ISuite suite, IReadOnlyList<ItemResult> items) : IPreparedAggregation
{
    public SuiteResult Aggregate(IReadOnlyList<int> indices) => suite.Aggregate(new IndexedItems(items, indices));
}

/// <summary>The risk scores and outcomes of some items, in item order, and their AUROC once asked for.</summary>
internal sealed class RiskSet
{
    private AurocResult? _auroc;

    private RiskSet(double[] scores, bool[] labels)
    {
        Scores = scores;
        Labels = labels;
    }

    public double[] Scores { get; }

    public bool[] Labels { get; }

    public AurocResult Auroc => _auroc ??= Discrimination.Auroc(Scores, Labels);

    public static RiskSet Of(SuiteWork suite, int[] indices)
    {
        var scores = new List<double>(indices.Length);
        var labels = new List<bool>(indices.Length);
        foreach (var i in indices)
        {
            if (suite.IsRisk[i])
            {
                var item = suite.Input.Items[i];
                scores.Add(item.Score!.Value);
                labels.Add(item.Label!.Value);
            }
        }

        return new RiskSet([.. scores], [.. labels]);
    }
}

/// <summary>Some items of a list, read in place through their indices: the slice a suite aggregates, without a copy.</summary>
internal sealed class IndexedItems(IReadOnlyList<ItemResult> items, IReadOnlyList<int> indices) : IReadOnlyList<ItemResult>
{
    public int Count => indices.Count;

    public ItemResult this[int index] => items[indices[index]];

    public IEnumerator<ItemResult> GetEnumerator()
    {
        foreach (var i in indices)
        {
            yield return items[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One metric of one group while it is computed.</summary>
internal sealed class MetricWork(MetricValue metric)
{
    public MetricValue Metric { get; } = metric;

    public double? Difference { get; set; }

    public double? Ratio { get; set; }

    public RawTest? Raw { get; set; }

    /// <summary>Why there is no test, when there is none for a non-reference group.</summary>
    public string? NoTest { get; set; }

    public double? Detectable { get; set; }

    public double AdjustedP { get; set; } = double.NaN;

    public SliceMetric ToResult(double alpha) => new()
    {
        Metric = Metric,
        Difference = Difference,
        Ratio = Ratio,
        Test = Raw is { } raw
            ? new SliceTest { Method = raw.Method, Statistic = raw.Statistic, PValue = raw.PValue, AdjustedP = AdjustedP, Significant = AdjustedP < alpha }
            : null,
        NoTest = Raw is null ? NoTest : null,
        MinimumDetectableDifference = Detectable,
    };
}

/// <summary>One group of one family while it is computed.</summary>
internal sealed class GroupWork
{
    public required string Key { get; init; }

    public required IReadOnlyDictionary<string, string> Values { get; init; }

    public required int[] Indices { get; init; }

    public int Clusters { get; init; }

    public bool Suppressed { get; init; }

    public bool IsReference { get; set; }

    public SortedDictionary<string, MetricWork> Metrics { get; } = new(StringComparer.Ordinal);

    public SliceFairness? Fairness { get; set; }

    /// <summary>Items of the group that got an answer, and of those the correct ones.</summary>
    public int AnsweredCount { get; init; }

    public int CorrectCount { get; init; }

    /// <summary>The group's risk scores and outcomes and their AUROC, computed once when a test first needs them.</summary>
    public RiskSet? Risk { get; set; }

    /// <summary>Every other item of the suite (the comparator with reference: overall), once a test needs it.</summary>
    public int[]? ComplementIndices { get; set; }

    public RiskSet? ComplementRisk { get; set; }

    public SliceGroup ToResult(SliceSettings settings, bool clustered) => Suppressed
        ? new SliceGroup
        {
            Values = Values,
            Suppressed = true,
            Size = SliceAnalyzer.SuppressedSize(settings.MinCell),
            Metrics = new SortedDictionary<string, SliceMetric>(StringComparer.Ordinal),
        }
        : new SliceGroup
        {
            Values = Values,
            Suppressed = false,
            Size = Indices.Length.ToString(CultureInfo.InvariantCulture),
            N = Indices.Length,
            Clusters = clustered ? Clusters : null,
            IsReference = IsReference,
            Metrics = new SortedDictionary<string, SliceMetric>(Metrics.ToDictionary(m => m.Key, m => m.Value.ToResult(settings.Alpha)), StringComparer.Ordinal),
            Fairness = Fairness,
        };
}
