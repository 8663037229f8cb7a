using ValidationLab.Configuration;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Errors;
using ValidationLab.Pipeline;
using ValidationLab.Discovery;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Suites;

namespace ValidationLab.Core.Tests.Pipeline;

public sealed class EvaluationPipelineTests : IDisposable
{
    private static readonly string[] RunFiles = ["config.yaml", "items.csv", "items.jsonl", "results.json"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Out => _dir.Combine("out");

    private EvalConfig Config(double? maxErrorRate = null) => new()
    {
        Runner = new ValidationLab.Runners.RunnerSettings { Name = "fake", Origin = "test" },
        Suites = [new SuiteSettings { Name = "fake", DataPath = _dir.Combine("data"), Origin = "test" }],
        OutDirectory = Out,
        MaxErrorRate = maxErrorRate,
        Origin = "test",
    };

    private static EvaluationPipeline Pipeline(FakeRunner runner, ISuite? suite = null)
    {
        var registry = new PluginCatalog();
        registry.Add(new FakeSuiteFactory(() => suite ?? new FakeSuite(10)));
        registry.Add(new FakeRunnerFactory(runner));
        return new EvaluationPipeline(registry);
    }

    private static int Index(ModelRequest r) => int.Parse(r.ItemId[1..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Should_Record_Thrown_And_Returned_Errors_As_Errored_Items_And_Complete_The_Run()
    {
        // Given: items 1-2 throw, items 3-4 return errors, 5-7 answer right, 8-10 answer wrong
        var runner = new FakeRunner((r, _) => Index(r) switch
        {
            <= 2 => throw new HttpRequestException("connection reset"),
            <= 4 => Task.FromResult(ModelResponse.Failed(r, "http_503", "unavailable")),
            <= 7 => FakeRunner.Text(r, "A"),
            _ => FakeRunner.Text(r, "B"),
        });

        // When
        var outcome = await Pipeline(runner).RunAsync(Config(), new PipelineOptions(), CancellationToken.None);

        // Then
        Assert.True(outcome.Succeeded);
        Assert.Equal(10, runner.Calls);
        var errored = outcome.Items.Where(i => i.Status == ItemStatus.Errored).Select(i => i.ItemId).ToList();
        Assert.Equal(["i01", "i02", "i03", "i04"], errored);
        Assert.All(outcome.Items.Where(i => i.Status == ItemStatus.Errored), i => Assert.Null(i.Correct));
        Assert.Contains("runner_exception", outcome.Items[0].Error, StringComparison.Ordinal);
        Assert.Contains("connection reset", outcome.Items[0].Error, StringComparison.Ordinal);
        Assert.Equal(3, outcome.Items.Count(i => i.Correct == true));
        Assert.Equal(3, outcome.Items.Count(i => i.Correct == false));
        Assert.Equal(new SuiteCounts(10, 6, 0, 4), outcome.Result.Suites["fake"].Counts);
        Assert.Equal(0.5, outcome.Result.Suites["fake"].Metrics["accuracy"].Value);
        Assert.Contains(outcome.Result.Warnings, w => w.StartsWith("4 of 10 item(s) errored", StringComparison.Ordinal));
        Assert.All(RunFiles, f => Assert.True(File.Exists(Path.Combine(Out, f)), f));
    }

    [Fact]
    public async Task Should_Refuse_A_Runner_Missing_A_Required_Request_Kind_Before_Any_Call()
    {
        // Given: the suite needs log-likelihoods, the runner only generates
        var runner = new FakeRunner((r, _) => FakeRunner.Text(r, "A"), RequestKind.Generate);
        var suite = new FakeSuite(5, RequestKind.LogLikelihood);

        // When
        var ex = await Assert.ThrowsAsync<InputException>(() => Pipeline(runner, suite).RunAsync(Config(), new PipelineOptions(), CancellationToken.None));

        // Then
        Assert.Equal(0, runner.Calls);
        Assert.Equal(0, runner.Prepared);
        Assert.Contains("loglikelihood", ex.Message, StringComparison.Ordinal);
        Assert.Equal("runner", ex.Field);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public async Task Should_Fail_But_Write_Results_When_Max_Error_Rate_Is_Exceeded()
    {
        // Given: 3 of 10 items error, the limit is 20%
        var runner = new FakeRunner((r, _) => Index(r) <= 3 ? Task.FromResult(ModelResponse.Failed(r, "timeout", "too slow")) : FakeRunner.Text(r, "A"));

        // When
        var outcome = await Pipeline(runner).RunAsync(Config(maxErrorRate: 0.2), new PipelineOptions(), CancellationToken.None);

        // Then
        Assert.False(outcome.Succeeded);
        Assert.Contains("max_error_rate", outcome.FailureReason, StringComparison.Ordinal);
        Assert.All(RunFiles, f => Assert.True(File.Exists(Path.Combine(Out, f)), f));
        Assert.Contains(outcome.FailureReason!, File.ReadAllText(Path.Combine(Out, "results.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Succeed_When_The_Error_Rate_Equals_The_Limit()
    {
        // Given: 2 of 10 items error, the limit is 20%
        var runner = new FakeRunner((r, _) => Index(r) <= 2 ? Task.FromResult(ModelResponse.Failed(r, "timeout", "too slow")) : FakeRunner.Text(r, "A"));

        // When
        var outcome = await Pipeline(runner).RunAsync(Config(maxErrorRate: 0.2), new PipelineOptions(), CancellationToken.None);

        // Then
        Assert.True(outcome.Succeeded);
    }

    [Fact]
    public async Task Should_Throw_Cancelled_And_Write_Nothing_When_Cancelled_Mid_Run()
    {
        // Given: the fifth request cancels the run and then waits for the cancellation
        using var cts = new CancellationTokenSource();
        var runner = new FakeRunner(async (r, ct) =>
        {
            if (Index(r) == 5)
            {
                await cts.CancelAsync();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return await FakeRunner.Text(r, "A");
        })
        { MaxConcurrency = 1 };

        // When
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Pipeline(runner).RunAsync(Config(), new PipelineOptions(), cts.Token));

        // Then: no output folder and no temporary folder beside it
        Assert.InRange(runner.Calls, 5, 10);
        Assert.False(Directory.Exists(Out));
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public async Task Should_Refuse_An_Existing_Folder_Holding_Other_Files()
    {
        // Given
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "thesis.docx"), "precious");
        var runner = new FakeRunner((r, _) => FakeRunner.Text(r, "A"));

        // When
        var ex = await Assert.ThrowsAsync<InputException>(() => Pipeline(runner).RunAsync(Config(), new PipelineOptions(), CancellationToken.None));

        // Then
        Assert.Equal("--out", ex.Field);
        Assert.Equal(0, runner.Calls);
        Assert.Equal(["thesis.docx"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
        Assert.Equal("precious", File.ReadAllText(Path.Combine(Out, "thesis.docx")));
    }

    [Fact]
    public async Task Should_Refuse_An_Out_Path_That_Is_A_File()
    {
        // Given
        File.WriteAllText(Out, "not a folder");
        var runner = new FakeRunner((r, _) => FakeRunner.Text(r, "A"));

        // When
        var ex = await Assert.ThrowsAsync<InputException>(() => Pipeline(runner).RunAsync(Config(), new PipelineOptions(), CancellationToken.None));

        // Then
        Assert.Equal("--out", ex.Field);
        Assert.Equal("not a folder", File.ReadAllText(Out));
    }

    [Fact]
    public async Task Should_Refuse_A_Previous_Runs_Folder_Without_Overwrite_Before_Any_Call()
    {
        // Given: issue 7 — rerunning into a run folder deleted a sign-off and attachments the user had put there
        await Pipeline(new FakeRunner((r, _) => FakeRunner.Text(r, "B"))).RunAsync(Config(), new PipelineOptions(), CancellationToken.None);
        File.WriteAllText(Path.Combine(Out, "signoff.txt"), "approved by the board");
        var before = File.ReadAllText(Path.Combine(Out, "results.json"));
        var second = new FakeRunner((r, _) => FakeRunner.Text(r, "A"));

        // When
        var ex = await Assert.ThrowsAsync<InputException>(() => Pipeline(second).RunAsync(Config(), new PipelineOptions(), CancellationToken.None));

        // Then
        Assert.Equal("--out", ex.Field);
        Assert.Contains("--overwrite", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, second.Calls);
        Assert.Equal(before, File.ReadAllText(Path.Combine(Out, "results.json")));
        Assert.Equal("approved by the board", File.ReadAllText(Path.Combine(Out, "signoff.txt")));
    }

    [Fact]
    public async Task Should_Replace_Only_Run_Files_With_Overwrite_And_Keep_The_Users_Files()
    {
        // Given: a first run's folder with a report from an earlier exporter, a sign-off and attachments
        await Pipeline(new FakeRunner((r, _) => FakeRunner.Text(r, "B"))).RunAsync(Config(), new PipelineOptions { Bind = (r, _) => new RunBinding(r, "run-1", false) }, CancellationToken.None);
        File.WriteAllText(Path.Combine(Out, "signoff.txt"), "approved by the board");
        File.WriteAllText(Path.Combine(Out, "report.html"), "<p>report of run-1</p>");
        Directory.CreateDirectory(Path.Combine(Out, "attachments"));
        File.WriteAllText(Path.Combine(Out, "attachments", "minutes.pdf"), "minutes");
        var second = new FakeRunner((r, _) => FakeRunner.Text(r, "A"));

        // When: rerun with --overwrite (and no HTML exporter this time)
        var outcome = await Pipeline(second).RunAsync(Config() with { Run = Config().Run with { Overwrite = true } },
            new PipelineOptions { Bind = (r, _) => new RunBinding(r, "run-2", false) }, CancellationToken.None);

        // Then: run files are the second run's, the stale report is gone, the user's files are untouched
        Assert.Equal(1.0, outcome.Result.Suites["fake"].Metrics["accuracy"].Value);
        Assert.Contains("\"run-2\"", File.ReadAllText(Path.Combine(Out, "results.json")), StringComparison.Ordinal);
        Assert.Equal(RunFiles.Append("attachments").Append("signoff.txt").Order(StringComparer.Ordinal), Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("approved by the board", File.ReadAllText(Path.Combine(Out, "signoff.txt")));
        Assert.Equal("minutes", File.ReadAllText(Path.Combine(Out, "attachments", "minutes.pdf")));
        Assert.Equal(["out"], _dir.Entries());
    }

    [Theory]
    [InlineData("file-as-parent")]
    [InlineData("file-as-grandparent")]
    public async Task Should_Refuse_An_Out_Folder_That_Cannot_Be_Created_Before_Any_Call(string layout)
    {
        // Given: a file where a folder of the path should be (tests run as root, so permissions cannot stop root)
        File.WriteAllText(_dir.Combine("somefile"), "a file");
        var outDir = layout == "file-as-parent" ? _dir.Combine("somefile/sub") : _dir.Combine("somefile/sub/deeper");
        var runner = new FakeRunner((r, _) => FakeRunner.Text(r, "A"));

        // When
        var ex = await Assert.ThrowsAsync<InputException>(() => Pipeline(runner).RunAsync(Config() with { OutDirectory = outDir }, new PipelineOptions(), CancellationToken.None));

        // Then
        Assert.Equal("--out", ex.Field);
        Assert.Contains("is a file", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, runner.Calls);
        Assert.Equal(0, runner.Prepared);
        Assert.Equal(["somefile"], _dir.Entries());
    }

    [Fact]
    public async Task Should_Fail_And_Say_So_When_No_Item_Could_Be_Scored_Even_Without_A_Max_Error_Rate()
    {
        // Given: every request fails
        var runner = new FakeRunner((r, _) => Task.FromResult(ModelResponse.Failed(r, "http_401", "unauthorized")));

        // When
        var outcome = await Pipeline(runner).RunAsync(Config(), new PipelineOptions(), CancellationToken.None);

        // Then: results are written, but the run failed and says why
        Assert.False(outcome.Succeeded);
        Assert.StartsWith("no item could be scored: all 10 items errored", outcome.FailureReason, StringComparison.Ordinal);
        Assert.Contains("unauthorized", outcome.FailureReason, StringComparison.Ordinal);
        Assert.All(RunFiles, f => Assert.True(File.Exists(Path.Combine(Out, f)), f));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_Evaluate_Only_The_Limited_Items_And_Record_The_Limit(bool sampled)
    {
        // Given
        var runner = new FakeRunner((r, _) => FakeRunner.Text(r, "A"));
        var config = Config() with { Run = Config().Run with { Limit = new RunLimit(3, sampled), Seed = 11 } };

        // When
        var outcome = await Pipeline(runner).RunAsync(config, new PipelineOptions(), CancellationToken.None);

        // Then
        Assert.Equal(3, runner.Calls);
        Assert.Equal(3, outcome.Items.Count);
        Assert.Equal(new ManifestLimit(3, sampled, 11), outcome.Result.Manifest.Limit);
        var ids = outcome.Items.Select(i => i.ItemId).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        if (!sampled)
        {
            Assert.Equal(["i01", "i02", "i03"], ids);
        }

        Assert.Contains("\"limit\": {", File.ReadAllText(Path.Combine(Out, "results.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Write_The_Effective_Configuration_Whose_Hash_Is_Recorded()
    {
        // Given
        var runner = new FakeRunner((r, _) => FakeRunner.Text(r, "A"));

        // When
        var outcome = await Pipeline(runner).RunAsync(Config(maxErrorRate: 0.25), new PipelineOptions(), CancellationToken.None);

        // Then: sha256(config.yaml) is the manifest's config_sha256, and the file holds the override
        var bytes = File.ReadAllBytes(Path.Combine(Out, "config.yaml"));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), outcome.Result.Manifest.ConfigSha256);
        Assert.Contains("max_error_rate: 0.25\n", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Record_The_Harness_Build_Commit_Not_The_Working_Folders_Repository()
    {
        // Given: HarnessInfo reads the build's stamp, not the working folder (a run started inside another
        // repository used to record that repository's HEAD)
        var runner = new FakeRunner((r, _) => FakeRunner.Text(r, "A"));

        // When
        var outcome = await Pipeline(runner).RunAsync(Config(), new PipelineOptions(), CancellationToken.None);

        // Then: the commit --version shows (from the build), never the other repository's HEAD
        Assert.Matches("^[0-9a-f]{40}$", outcome.Result.Manifest.HarnessCommit);
        Assert.Equal(HarnessInfo.Commit, outcome.Result.Manifest.HarnessCommit);
        Assert.Equal(HarnessInfo.TreeModified, outcome.Result.Manifest.HarnessTreeModified);
    }

    [Fact]
    public async Task Should_Write_Items_In_Load_Order_Whatever_Order_Answers_Arrive()
    {
        // Given: later items answer first
        var runner = new FakeRunner(async (r, _) =>
        {
            await Task.Yield();
            return await FakeRunner.Text(r, Index(r) % 2 == 0 ? "A" : "C");
        })
        { MaxConcurrency = 4 };

        // When
        var outcome = await Pipeline(runner).RunAsync(Config(), new PipelineOptions(), CancellationToken.None);

        // Then
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"i{i:00}"), outcome.Items.Select(i => i.ItemId));
        var lines = File.ReadAllLines(Path.Combine(Out, "items.jsonl"));
        Assert.Equal(10, lines.Length);
        Assert.Contains("\"item_id\":\"i01\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"item_id\":\"i10\"", lines[9], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Not_Bind_The_Run_When_Suite_Data_Is_Bad()
    {
        // Given: data that fails validation, and a binding that would open the run store
        var bound = 0;
        var options = new PipelineOptions { Bind = (r, _) => { bound++; return new RunBinding(r, "run", false); } };
        var runner = new FakeRunner((r, _) => FakeRunner.Text(r, "A"));

        // When
        await Assert.ThrowsAsync<InputException>(() => Pipeline(runner, new BadDataSuite()).RunAsync(Config(), options, CancellationToken.None));

        // Then: no store, no run record, no model call, no output
        Assert.Equal(0, bound);
        Assert.Equal(0, runner.Calls);
        Assert.False(Directory.Exists(Out));
    }

    /// <summary>A suite whose data file is malformed.</summary>
    private sealed class BadDataSuite : ISuite
    {
        public string Name => "fake";

        public string Mode => "generate";

        public IReadOnlySet<RequestKind> RequiredKinds { get; } = new HashSet<RequestKind> { RequestKind.Generate };

        public IReadOnlyList<string> InputFiles => [];

        public Task<IReadOnlyList<ValidationLab.Items.EvalItem>> LoadAsync(CancellationToken cancellationToken) =>
            throw new InputException("malformed JSON", "data.jsonl", 3);

        public IReadOnlyList<ModelRequest> CreateRequests(ValidationLab.Items.EvalItem item) => throw new InvalidOperationException("not reached");

        public ItemResult Score(ValidationLab.Items.EvalItem item, IReadOnlyList<ModelRequest> requests, IReadOnlyList<ModelResponse> responses) =>
            throw new InvalidOperationException("not reached");

        public SuiteResult Aggregate(IReadOnlyList<ItemResult> results) => throw new InvalidOperationException("not reached");
    }
}
