using System.Collections.Concurrent;
using ValidationLab.Configuration;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Discovery;
using ValidationLab.Items;
using ValidationLab.Pipeline;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Runners;
using ValidationLab.Suites;

namespace ValidationLab.Core.Tests.Pipeline;

/// <summary>
/// The pipeline answers and scores requests chunk by chunk (issue 8, "the pipeline streams"): items are scored
/// while later requests are still to be sent, responses still land in plan order, and the runner's preparation still
/// sees every planned request.
/// </summary>
public sealed class ChunkedPipelineTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Should_Score_Chunk_By_Chunk_In_Plan_Order_And_Prepare_With_The_Whole_Plan()
    {
        // Given 25 items needing 0, 1 or 2 requests each, a runner answering out of order, and chunks of 8 requests
        var suite = new MultiRequestSuite(25);
        var runner = new RecordingRunner(suite);
        var registry = new PluginCatalog();
        registry.Add(new FakeSuiteFactory(() => suite));
        registry.Add(new FakeRunnerFactory(runner));
        var config = new EvalConfig
        {
            Runner = new RunnerSettings { Name = "fake", Origin = "test" },
            Suites = [new SuiteSettings { Name = "fake", DataPath = _dir.Combine("data"), Origin = "test" }],
            OutDirectory = _dir.Combine("out"),
            Origin = "test",
        };

        // When
        var outcome = await new EvaluationPipeline(registry).RunAsync(config, new PipelineOptions { ChunkRequests = 8 }, CancellationToken.None);

        // Then every item got its own answers, in request order
        var expected = Enumerable.Range(1, 25).Select(i => string.Join("+", Enumerable.Range(0, i % 3).Select(r => $"i{i:00}#{r}"))).ToList();
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"i{i:00}"), outcome.Items.Select(i => i.ItemId));
        Assert.Equal(expected, outcome.Items.Select(i => i.Response ?? ""));

        // and items were scored while requests were still being sent (one chunk at a time, not all at the end)
        Assert.True(runner.ScoredBeforeLastRequest >= 8, $"only {runner.ScoredBeforeLastRequest} item(s) scored before the last request");

        // and preparation saw the whole plan, by enumeration and by index alike
        var planned = expected.SelectMany(e => e.Split('+', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(planned, runner.PreparedByEnumeration);
        Assert.Equal(planned, runner.PreparedByIndex);
        Assert.Equal(planned.Count, outcome.Result.Accounting.Requests);
    }

    /// <summary>Item i needs i % 3 requests; the score records the responses' texts joined by '+'.</summary>
    private sealed class MultiRequestSuite(int count) : ISuite
    {
        private int _scored;

        public int Scored => Volatile.Read(ref _scored);

        public string Name => "fake";

        public string Mode => "generate";

        public IReadOnlySet<RequestKind> RequiredKinds { get; } = new HashSet<RequestKind> { RequestKind.Generate };

        public IReadOnlyList<string> InputFiles => [];

        public Task<IReadOnlyList<EvalItem>> LoadAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<EvalItem>>(Enumerable.Range(1, count).Select(i => new EvalItem { Id = $"i{i:00}", Input = "q", Payload = i }).ToList());

        public IReadOnlyList<ModelRequest> CreateRequests(EvalItem item) =>
            [.. Enumerable.Range(0, (int)item.Payload % 3).Select(r => new GenerateRequest
            {
                Suite = Name, ItemId = item.Id, RequestId = r.ToString(System.Globalization.CultureInfo.InvariantCulture), Messages = [new ChatMessage("user", "q")],
            })];

        public ItemResult Score(EvalItem item, IReadOnlyList<ModelRequest> requests, IReadOnlyList<ModelResponse> responses)
        {
            Interlocked.Increment(ref _scored);
            Assert.Equal(requests.Select(r => r.RequestId), responses.Select(r => r.RequestId));
            return new ItemResult
            {
                Suite = Name, ItemId = item.Id, Status = ItemStatus.Scored, Explanation = "joined",
                Response = string.Join("+", responses.Select(r => r.Text)), Correct = true,
            };
        }

        public SuiteResult Aggregate(IReadOnlyList<ItemResult> results) => new()
        {
            Suite = Name, Mode = Mode, Counts = new SuiteCounts(results.Count, results.Count, 0, 0),
            Metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal),
        };
    }

    /// <summary>Answers "item#request" after a shuffled delay; records what preparation saw and how far scoring had got.</summary>
    private sealed class RecordingRunner(MultiRequestSuite suite) : IModelRunner
    {
        private readonly ConcurrentDictionary<string, int> _scoredWhenAsked = new(StringComparer.Ordinal);

        public List<string> PreparedByEnumeration { get; } = [];

        public List<string> PreparedByIndex { get; } = [];

        public int ScoredBeforeLastRequest => _scoredWhenAsked.GetValueOrDefault("i23#1");

        public RunnerIdentity Identity { get; } = new() { Runner = "fake", Model = "fake-model" };

        public IReadOnlySet<RequestKind> SupportedKinds { get; } = new HashSet<RequestKind> { RequestKind.Generate };

        public int MaxConcurrency => 2;

        public ValueTask<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<ModelRequest> plan, CancellationToken cancellationToken)
        {
            PreparedByEnumeration.AddRange(plan.Select(Key));
            for (var i = plan.Count - 1; i >= 0; i--)
            {
                PreparedByIndex.Insert(0, Key(plan[i])); // backwards: the index does not rely on reading in order
            }

            return ValueTask.FromResult<IReadOnlyList<string>>([]);
        }

        public async Task<ModelResponse> ExecuteAsync(ModelRequest request, CancellationToken cancellationToken)
        {
            _scoredWhenAsked[Key(request)] = suite.Scored;
            for (var i = 0; i < (request.ItemId.GetHashCode(StringComparison.Ordinal) & 3); i++)
            {
                await Task.Yield();
            }

            return ModelResponse.For(request) with { Text = Key(request) };
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static string Key(ModelRequest r) => $"{r.ItemId}#{r.RequestId}";
    }
}
