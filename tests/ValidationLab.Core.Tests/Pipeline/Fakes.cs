using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Runners;
using ValidationLab.Suites;

namespace ValidationLab.Core.Tests.Pipeline;

/// <summary>A suite of <c>count</c> items "i01".. whose gold answer is "A"; correct when the response text is the gold.</summary>
internal sealed class FakeSuite(int count, RequestKind kind = RequestKind.Generate) : ISuite
{
    public string Name => "fake";

    public string Mode => kind == RequestKind.Generate ? "generate" : "loglikelihood";

    public IReadOnlySet<RequestKind> RequiredKinds { get; } = new HashSet<RequestKind> { kind };

    public IReadOnlyList<string> InputFiles => [];

    public Task<IReadOnlyList<EvalItem>> LoadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<EvalItem> items = Enumerable.Range(1, count)
            .Select(i => new EvalItem { Id = $"i{i:00}", Input = $"question {i}", Gold = "A", Payload = i })
            .ToList();
        return Task.FromResult(items);
    }

    public IReadOnlyList<ModelRequest> CreateRequests(EvalItem item) =>
        [new GenerateRequest { Suite = Name, ItemId = item.Id, Messages = [new ChatMessage("user", item.Input)] }];

    public ItemResult Score(EvalItem item, IReadOnlyList<ModelRequest> requests, IReadOnlyList<ModelResponse> responses)
    {
        var response = responses[0];
        return response.Error is { } error
            ? new ItemResult { Suite = Name, ItemId = item.Id, Status = ItemStatus.Errored, Gold = item.Gold, Explanation = "errored", Error = $"{error.Kind}: {error.Message}" }
            : new ItemResult
            {
                Suite = Name,
                ItemId = item.Id,
                Status = ItemStatus.Scored,
                Gold = item.Gold,
                Prediction = response.Text,
                Response = response.Text,
                Correct = response.Text == item.Gold,
                Explanation = "compared",
            };
    }

    public SuiteResult Aggregate(IReadOnlyList<ItemResult> results)
    {
        var answered = results.Where(r => r.Status != ItemStatus.Errored).ToList();
        var correct = answered.Count(r => r.Correct == true);
        return new SuiteResult
        {
            Suite = Name,
            Mode = Mode,
            Counts = new SuiteCounts(results.Count, answered.Count, 0, results.Count - answered.Count),
            Metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal)
            {
                ["accuracy"] = new(answered.Count == 0 ? 0 : (double)correct / answered.Count, 0, 1, answered.Count, "test"),
            },
        };
    }
}

internal sealed class FakeSuiteFactory(Func<ISuite> create) : ISuiteFactory
{
    public string Name => "fake";

    public string Description => "in-test suite";

    public IReadOnlyCollection<string> OptionKeys => [];

    public string? DefaultDataPath => null;

    public ISuite Create(SuiteSettings settings) => create();
}

/// <summary>A runner whose answer per request is decided by the test; counts calls.</summary>
internal sealed class FakeRunner(Func<ModelRequest, CancellationToken, Task<ModelResponse>> answer, params RequestKind[] kinds) : IModelRunner
{
    private int _calls;
    private int _prepared;

    public int Calls => Volatile.Read(ref _calls);

    public int Prepared => Volatile.Read(ref _prepared);

    public RunnerIdentity Identity { get; } = new() { Runner = "fake", Model = "fake-model" };

    public IReadOnlySet<RequestKind> SupportedKinds { get; } = new HashSet<RequestKind>(kinds.Length == 0 ? [RequestKind.Generate] : kinds);

    public int MaxConcurrency { get; init; } = 2;

    public ValueTask<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<ModelRequest> plan, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _prepared);
        return ValueTask.FromResult<IReadOnlyList<string>>([]);
    }

    public Task<ModelResponse> ExecuteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return answer(request, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static Task<ModelResponse> Text(ModelRequest request, string text) => Task.FromResult(new ModelResponse
    {
        Suite = request.Suite,
        ItemId = request.ItemId,
        RequestId = request.RequestId,
        Text = text,
    });
}

internal sealed class FakeRunnerFactory(IModelRunner runner) : IRunnerFactory
{
    public string Name => "fake";

    public string Description => "in-test runner";

    public IReadOnlyCollection<string> OptionKeys => [];

    public bool CachesResponses => false;

    public IModelRunner Create(RunnerSettings settings) => runner;
}
