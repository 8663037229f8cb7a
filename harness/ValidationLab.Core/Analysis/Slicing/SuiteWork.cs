using System.Globalization;
using ValidationLab.Results;
using ValidationLab.Results.Slices;
using ValidationLab.Statistics;

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

    public static SuiteWork Build(SliceSettings settings, SliceInput input, int seed)
    {
        var work = new SuiteWork(input);
        var items = input.Items;
        var clusterOf = new Dictionary<string, int>(StringComparer.Ordinal);
        work.ClusterIndex = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var key = items[i].ClusterId ?? "\0item:" + items[i].ItemId;
            if (!clusterOf.TryGetValue(key, out var c))
            {
                c = clusterOf.Count;
                clusterOf[key] = c;
            }

            work.ClusterIndex[i] = c;
        }

        work.Clustered = clusterOf.Count < items.Count;
        var keys = new SliceKeys(settings);
        var risk = RiskFairness.Applies(items);
        var overallFairness = risk ? RiskFairness.Rates(items, settings.AlertThreshold) : null;
        foreach (var spec in settings.Families)
        {
            var values = new string?[spec.Attributes.Count][];
            for (var a = 0; a < spec.Attributes.Count; a++)
            {
                values[a] = items.Select(i => keys.Value(i.Strata, spec.Attributes[a])).ToArray();
            }

            if (values.Any(v => v.All(x => x is null)))
            {
                // Validated before the run that some item of some suite has every attribute; this suite may not.
                work._notApplicable.Add(spec.Name);
                continue;
            }

            work._families.Add(FamilyWork.Build(settings, work, spec, values, overallFairness, seed));
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
