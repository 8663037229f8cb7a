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
/// A streaming suite (<see cref="IStreamingSuite"/>, issue 8 "the pipeline streams") is never held whole: the pipeline
/// reads its index, then its items a few at a time as their chunk is answered; its results, read back from the stage,
/// are written exactly as the same suite's loaded whole.
/// </summary>
public sealed class StreamingPipelineTests : IDisposable
{
    private const int Items = 60;
    private const int PerList = 3;
    private const int ChunkRequests = 8;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Should_Never_Hold_More_Payloads_Than_A_Chunk_And_One_List()
    {
        // Given a streaming suite of 60 items handed out 3 at a time, one request each, and chunks of 8 requests
        var suite = new StreamedPatientSuite(Items);

        // When
        var outcome = await RunAsync(suite, "out", run => run);

        // Then at no time were more items handed out than scored by more than a chunk and one list of the suite
        Assert.Equal(Items, suite.Scored);
        Assert.InRange(suite.MaxLive, 1, ChunkRequests + PerList);

        // and the suite was never loaded whole, and every item was scored with its payload
        Assert.False(suite.LoadedWhole);
        Assert.Equal(Enumerable.Range(0, Items).Select(i => $"p{i / PerList:00}/{i % PerList}"), outcome.Items.Select(i => i.ItemId));
        Assert.All(outcome.Items, i => Assert.Equal($"history of {i.ClusterId} until {i.ItemId}", i.Input));

        // and the stage beside the results folder is gone
        Assert.Equal(["out"], _dir.Entries());
    }

    [Fact]
    public async Task Should_Stage_Inside_An_Existing_Results_Folder_And_Leave_Only_The_Run_Files()
    {
        // Given an existing, empty results folder (its parent need not be writable then)
        Directory.CreateDirectory(_dir.Combine("existing"));

        // When a streamed suite runs into it
        var outcome = await RunAsync(new StreamedPatientSuite(Items), "existing", run => run);

        // Then the stage is gone from the folder and from beside it, and the run's items are readable afterwards
        Assert.Equal(["existing"], _dir.Entries());
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(outcome.OutDirectory), f => Path.GetFileName(f).StartsWith('.'));
        Assert.Equal(Items, outcome.Items.Count);
        Assert.Equal(outcome.Items.Select(i => i.ItemId), File.ReadLines(Path.Combine(outcome.OutDirectory, "items.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("item_id").GetString()));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Should_Write_The_Same_Files_As_The_Suite_Loaded_Whole(bool sampled, bool sharded)
    {
        // Given the same suite loaded whole and streamed, under --limit (first or sampled) and --shard alike
        RunContext Limit(RunContext run) => run with
        {
            Seed = 5,
            Limit = sampled ? new RunLimit(25, Sampled: true) : run.Limit,
            Shard = sharded ? new RunShard(1, 3) : null,
        };

        // When
        var loaded = await RunAsync(new PatientSuite(Items), "loaded", Limit);
        var streamed = await RunAsync(new StreamedPatientSuite(Items), "streamed", Limit);

        // Then the item files are byte-identical, and so are the metrics the suite aggregated from what it kept
        foreach (var file in new[] { "items.jsonl", "items.csv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(loaded.OutDirectory, file)), File.ReadAllBytes(Path.Combine(streamed.OutDirectory, file)));
        }

        Assert.Equal(loaded.Items.Select(i => (i.ItemId, i.Input, i.Response, i.Score)), streamed.Items.Select(i => (i.ItemId, i.Input, i.Response, i.Score)));
        Assert.Equal(loaded.Result.Suites["fake"].Metrics["mean_score"].Value, streamed.Result.Suites["fake"].Metrics["mean_score"].Value);
        Assert.True(loaded.Items.Count < Items == (sampled || sharded), "the limit or shard chose a subset");
    }

    private async Task<RunOutcome> RunAsync(PatientSuite suite, string outName, Func<RunContext, RunContext> run)
    {
        var registry = new PluginCatalog();
        registry.Add(new FakeSuiteFactory(() => suite));
        registry.Add(new FakeRunnerFactory(new FakeRunner((r, _) => FakeRunner.Text(r, "answer to " + r.ItemId)) { MaxConcurrency = 1 }));
        var config = new EvalConfig
        {
            Runner = new RunnerSettings { Name = "fake", Origin = "test" },
            Suites = [new SuiteSettings { Name = "fake", DataPath = _dir.Combine("data"), Origin = "test" }],
            OutDirectory = _dir.Combine(outName),
            Origin = "test",
        };
        config = config with { Run = run(config.Run) };
        return await new EvaluationPipeline(registry).RunAsync(config, new PipelineOptions { ChunkRequests = ChunkRequests }, CancellationToken.None);
    }

    /// <summary>A payload standing for a patient's history: counted while handed out and not yet scored.</summary>
    private sealed record History(string Patient, string Until);

    /// <summary>
    /// Items p00/0, p00/1, p00/2, p01/0, … (3 per patient), each carrying a <see cref="History"/>. Streamed, it
    /// hands them out one patient at a time and counts how many are out and not yet scored.
    /// </summary>
    private class PatientSuite(int count) : ISuite
    {
        private readonly Lock _gate = new();
        private int _handedOut;
        private int _scored;

        public bool LoadedWhole { get; private set; }

        public int MaxLive { get; private set; }

        public int Scored => _scored;

        protected int Count => count;

        public string Name => "fake";

        public string Mode => "generate";

        public IReadOnlySet<RequestKind> RequiredKinds { get; } = new HashSet<RequestKind> { RequestKind.Generate };

        public IReadOnlyList<string> InputFiles => [];

        public Task<IReadOnlyList<EvalItem>> LoadAsync(CancellationToken cancellationToken)
        {
            LoadedWhole = true;
            return Task.FromResult<IReadOnlyList<EvalItem>>(Enumerable.Range(0, count).Select(Full).ToList());
        }

        public IReadOnlyList<ModelRequest> CreateRequests(EvalItem item) =>
            [new GenerateRequest { Suite = Name, ItemId = item.Id, Messages = [new ChatMessage("user", Text(item))] }];

        public ItemResult Score(EvalItem item, IReadOnlyList<ModelRequest> requests, IReadOnlyList<ModelResponse> responses)
        {
            lock (_gate)
            {
                _scored++;
            }

            return new ItemResult
            {
                Suite = Name, ItemId = item.Id, ClusterId = item.ClusterId, Strata = item.Strata, Status = ItemStatus.Scored,
                Input = Text(item), Response = responses[0].Text, Explanation = "scored from " + Text(item),
                Score = (item.Id.GetHashCode(StringComparison.Ordinal) & 0xff) / 255.0, Label = item.Id.EndsWith('1'),
            };
        }

        public SuiteResult Aggregate(IReadOnlyList<ItemResult> results) => new()
        {
            Suite = Name, Mode = Mode, Counts = new SuiteCounts(results.Count, results.Count, 0, 0),
            Metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal)
            {
                ["mean_score"] = new(results.Count == 0 ? 0 : results.Average(r => r.Score!.Value), null, null, results.Count, "mean"),
            },
        };

        protected EvalItem Index(int i) => new()
        {
            Id = $"p{i / PerList:00}/{i % PerList}", ClusterId = $"p{i / PerList:00}", Input = "",
            Strata = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["ward"] = i % 2 == 0 ? "a" : "b" },
        };

        protected EvalItem<History> Full(int i)
        {
            var index = Index(i);
            return new EvalItem<History>
            {
                Id = index.Id, ClusterId = index.ClusterId, Strata = index.Strata, Input = "patient " + index.ClusterId,
                Payload = new History(index.ClusterId!, index.Id),
            };
        }

        private static string Text(EvalItem item) =>
            item is EvalItem<History> full ? $"history of {full.Payload.Patient} until {full.Payload.Until}" : throw new InvalidOperationException($"item '{item.Id}' has no payload");

        /// <summary>Counts items handed out (the streaming suite calls it as it yields them).</summary>
        protected void HandOut(int n)
        {
            lock (_gate)
            {
                _handedOut += n;
                MaxLive = Math.Max(MaxLive, _handedOut - _scored);
            }
        }
    }

    /// <summary>The same suite, streamed: the index, then one patient's items at a time.</summary>
    private sealed class StreamedPatientSuite(int count) : PatientSuite(count), IStreamingSuite
    {
        public Task<IReadOnlyList<EvalItem>> IndexAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<EvalItem>>(Enumerable.Range(0, Count).Select(Index).ToList());

        public int CountRequests(EvalItem indexed) => 1;

        public IEnumerable<IReadOnlyList<EvalItem>> Load(IReadOnlyList<EvalItem> chosen, CancellationToken cancellationToken)
        {
            var wanted = chosen.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            for (var patient = 0; patient * PerList < Count; patient++)
            {
                var list = Enumerable.Range(patient * PerList, PerList).Select(Full).Where(i => wanted.Contains(i.Id)).ToList<EvalItem>();
                if (list.Count > 0)
                {
                    HandOut(list.Count);
                    yield return list;
                }
            }
        }
    }
}
