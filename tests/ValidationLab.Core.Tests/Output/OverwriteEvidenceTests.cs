using ValidationLab.Configuration;
using ValidationLab.Core.Tests.Pipeline;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Discovery;
using ValidationLab.Output;
using ValidationLab.Pipeline;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Suites;

namespace ValidationLab.Core.Tests.Output;

/// <summary>
/// `run --overwrite` over a folder that compare, gate and signoff had added to: that evidence describes the earlier
/// run, so it must not stay beside the new one, and sign-offs must never be deleted. It is moved, unchanged, to
/// superseded/&lt;earlier run id&gt;/ with a note.
/// </summary>
public sealed class OverwriteEvidenceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Out => _dir.Combine("out");

    private EvalConfig Config(bool overwrite) => new EvalConfig
    {
        Runner = new ValidationLab.Runners.RunnerSettings { Name = "fake", Origin = "test" },
        Suites = [new SuiteSettings { Name = "fake", DataPath = _dir.Combine("data"), Origin = "test" }],
        OutDirectory = Out,
        Origin = "test",
    } is var c ? c with { Run = c.Run with { Overwrite = overwrite } } : throw new InvalidOperationException();

    private async Task RunAsync(string runId, bool overwrite, Notes? notes = null, IReadOnlyList<Exporters.IRunExporter>? exporters = null)
    {
        var registry = new PluginCatalog();
        registry.Add(new FakeSuiteFactory(() => new FakeSuite(4)));
        registry.Add(new FakeRunnerFactory(new FakeRunner((r, _) => FakeRunner.Text(r, "A"))));
        await new EvaluationPipeline(registry).RunAsync(Config(overwrite), new PipelineOptions
        {
            Bind = (r, _) => new RunBinding(r, runId, false),
            Progress = (IProgressSink?)notes ?? NullProgressSink.Instance,
            Exporters = exporters ?? [],
        }, CancellationToken.None);
    }

    [Fact]
    public async Task Should_Move_The_Earlier_Runs_Evidence_Unchanged_Into_A_Superseded_Folder_And_Say_So()
    {
        // Given: run-1 was compared, gated and signed
        await RunAsync("run-1", overwrite: false);
        var evidence = new Dictionary<string, string>
        {
            ["comparison.json"] = "{\"of\":\"run-1\"}",
            ["gate.json"] = "{\"verdict\":\"run-1\"}",
            ["gate.md"] = "# run-1",
            ["signoffs.jsonl"] = "{\"signer\":\"Dr A\",\"run_id\":\"run-1\"}\n",
        };
        foreach (var (name, text) in evidence)
        {
            File.WriteAllText(Path.Combine(Out, name), text);
        }

        File.WriteAllText(Path.Combine(Out, "notes.txt"), "the user's own file");
        var notes = new Notes();

        // When: run-2 is written over the folder
        await RunAsync("run-2", overwrite: true, notes);

        // Then: none of run-1's evidence is beside run-2; all of it is in superseded/run-1, byte for byte
        foreach (var (name, text) in evidence)
        {
            Assert.False(File.Exists(Path.Combine(Out, name)), name + " still beside the new run");
            Assert.Equal(text, File.ReadAllText(Path.Combine(Out, "superseded", "run-1", name)));
        }

        Assert.Contains("\"run-2\"", File.ReadAllText(Path.Combine(Out, "results.json")), StringComparison.Ordinal);
        Assert.Equal("the user's own file", File.ReadAllText(Path.Combine(Out, "notes.txt")));
        string note = Assert.Single(notes.Warnings);
        Assert.Contains("earlier run run-1", note, StringComparison.Ordinal);
        Assert.Contains("superseded/run-1/", note, StringComparison.Ordinal);
        Assert.Contains("signoffs.jsonl", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Never_Overwrite_Evidence_Already_Moved_Aside()
    {
        // Given: the same run id twice (a replayed id), each time with a sign-off
        await RunAsync("run-1", overwrite: false);
        File.WriteAllText(Path.Combine(Out, "signoffs.jsonl"), "first\n");
        await RunAsync("run-1", overwrite: true);
        File.WriteAllText(Path.Combine(Out, "signoffs.jsonl"), "second\n");

        // When
        await RunAsync("run-3", overwrite: true);

        // Then: both sign-off files are kept, in two folders
        Assert.Equal("first\n", File.ReadAllText(Path.Combine(Out, "superseded", "run-1", "signoffs.jsonl")));
        Assert.Equal("second\n", File.ReadAllText(Path.Combine(Out, "superseded", "run-1-2", "signoffs.jsonl")));
    }

    [Fact]
    public async Task Should_Move_A_Model_Card_Aside_Only_When_The_New_Run_Writes_Its_Own()
    {
        // Given: a model card the user put in the folder
        await RunAsync("run-1", overwrite: false);
        File.WriteAllText(Path.Combine(Out, RunWriter.ModelCardFile), "{\"intended_use\":\"old\"}");

        // When: a run without a model card, then one with
        await RunAsync("run-2", overwrite: true);
        string kept = File.ReadAllText(Path.Combine(Out, RunWriter.ModelCardFile));
        await RunAsync("run-3", overwrite: true, exporters: [new ModelCardJsonExporter(new Exporters.ReportModelCard("new", null, null))]);

        // Then
        Assert.Equal("{\"intended_use\":\"old\"}", kept);
        Assert.Equal("{\"intended_use\":\"old\"}", File.ReadAllText(Path.Combine(Out, "superseded", "run-2", RunWriter.ModelCardFile)));
        Assert.Contains("\"intended_use\": \"new\"", File.ReadAllText(Path.Combine(Out, RunWriter.ModelCardFile)), StringComparison.Ordinal);
    }

    private sealed class Notes : IProgressSink
    {
        public List<string> Warnings { get; } = [];

        public void Phase(string description)
        {
        }

        public void Warning(string message) => Warnings.Add(message);

        public void RequestsStarted(int total)
        {
        }

        public void RequestCompleted(ModelResponse response)
        {
        }

        public void RequestsFinished()
        {
        }

        public void Retrying(string itemId, int attempt, TimeSpan delay, string reason)
        {
        }

        public void Status(string message)
        {
        }
    }
}
