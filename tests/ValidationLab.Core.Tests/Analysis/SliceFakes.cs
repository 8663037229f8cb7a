using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Statistics;
using ValidationLab.Suites;

namespace ValidationLab.Core.Tests.Analysis;

/// <summary>
/// A suite whose only job in these tests is its Aggregate: accuracy (Wilson) over answered items and, when items
/// carry a score and an outcome, AUROC (DeLong); n_items as a count. The slicing stage must use exactly these.
/// </summary>
internal sealed class SliceTestSuite(string name, IReadOnlyList<EvalItem>? items = null) : ISuite
{
    public string Name => name;

    public string Mode => "generate";

    public IReadOnlySet<RequestKind> RequiredKinds { get; } = new HashSet<RequestKind> { RequestKind.Generate };

    public IReadOnlyList<string> InputFiles => [];

    public Task<IReadOnlyList<EvalItem>> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(items ?? []);

    public IReadOnlyList<ModelRequest> CreateRequests(EvalItem item) =>
        [new GenerateRequest { Suite = Name, ItemId = item.Id, Messages = [new ChatMessage("user", item.Input)] }];

    public ItemResult Score(EvalItem item, IReadOnlyList<ModelRequest> requests, IReadOnlyList<ModelResponse> responses) => new()
    {
        Suite = Name,
        ItemId = item.Id,
        Status = ItemStatus.Scored,
        Gold = item.Gold,
        Prediction = responses[0].Text,
        Correct = responses[0].Text == item.Gold,
        Explanation = "compared",
        Strata = item.Strata,
    };

    public SuiteResult Aggregate(IReadOnlyList<ItemResult> results)
    {
        var metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal)
        {
            ["n_items"] = new(results.Count, null, null, results.Count, "count") { Kind = MetricKind.Count },
        };
        var answered = results.Where(r => r.Status != ItemStatus.Errored && r.Correct is not null).ToList();
        if (answered.Count > 0)
        {
            var e = Proportions.Wilson(answered.Count(r => r.Correct == true), answered.Count);
            metrics["accuracy"] = new(e.Value, e.Low, e.High, e.N, e.Method);
        }

        var risk = results.Where(r => r.Score is not null && r.Label is not null).ToList();
        if (risk.Count(r => r.Label == true) >= 2 && risk.Count(r => r.Label == false) >= 2)
        {
            var a = Discrimination.Auroc(risk.Select(r => r.Score!.Value).ToArray(), risk.Select(r => r.Label!.Value).ToArray());
            metrics["auroc"] = new(a.Auc, a.Estimate.Low, a.Estimate.High, a.Estimate.N, a.Estimate.Method) { Kind = MetricKind.Auroc };
        }

        return new SuiteResult { Suite = Name, Mode = Mode, Counts = new SuiteCounts(results.Count, answered.Count, 0, 0), Metrics = metrics };
    }

    public static ItemResult Item(string suite, string id, bool? correct, IReadOnlyDictionary<string, string> strata, double? score = null, bool? label = null, string? cluster = null) => new()
    {
        Suite = suite,
        ItemId = id,
        ClusterId = cluster,
        Status = ItemStatus.Scored,
        Correct = correct,
        Score = score,
        Label = label,
        Explanation = "test",
        Strata = strata,
    };
}

/// <summary>
/// The test suite with the optional <see cref="ISubsetAggregator"/>: it records what the stage asks of it, so a
/// test can see that groups are aggregated through the prepared run and not through <see cref="ISuite.Aggregate"/>.
/// </summary>
internal sealed class PreparedSliceTestSuite(string name) : ISuite, ISubsetAggregator
{
    private readonly SliceTestSuite _inner = new(name);

    public int Prepared { get; private set; }

    public int PlainAggregates { get; private set; }

    public System.Collections.Concurrent.ConcurrentBag<int[]> Subsets { get; } = [];

    public string Name => _inner.Name;

    public string Mode => _inner.Mode;

    public IReadOnlySet<RequestKind> RequiredKinds => _inner.RequiredKinds;

    public IReadOnlyList<string> InputFiles => _inner.InputFiles;

    public Task<IReadOnlyList<EvalItem>> LoadAsync(CancellationToken cancellationToken) => _inner.LoadAsync(cancellationToken);

    public IReadOnlyList<ModelRequest> CreateRequests(EvalItem item) => _inner.CreateRequests(item);

    public ItemResult Score(EvalItem item, IReadOnlyList<ModelRequest> requests, IReadOnlyList<ModelResponse> responses) => _inner.Score(item, requests, responses);

    public SuiteResult Aggregate(IReadOnlyList<ItemResult> results)
    {
        PlainAggregates++;
        return _inner.Aggregate(results);
    }

    public IPreparedAggregation Prepare(IReadOnlyList<ItemResult> results)
    {
        Prepared++;
        return new Run(this, results);
    }

    private sealed class Run(PreparedSliceTestSuite suite, IReadOnlyList<ItemResult> results) : IPreparedAggregation
    {
        public SuiteResult Aggregate(IReadOnlyList<int> indices)
        {
            suite.Subsets.Add([.. indices]);
            return suite._inner.Aggregate(indices.Select(i => results[i]).ToList());
        }
    }
}
