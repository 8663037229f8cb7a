using System.Text.Json.Nodes;
using ValidationLab.Cli;
using ValidationLab.Testing;

namespace ValidationLab.Runners.LlamaCpp.Tests;

/// <summary>
/// `validationlab run --runner llamacpp` through the real CLI, in process, on the bundled 43-item MedQA fixture:
/// log-likelihood and generate modes end to end; a rerun served entirely from the response cache (the engine is
/// asked nothing, by its own counter); and a run cancelled after its tenth answer continued with --resume without
/// asking the engine again for a stored answer, ending with the same items as an uninterrupted run.
/// </summary>
public sealed class CliEndToEndTests : IDisposable
{
    private const int FixtureItems = 43;
    private readonly string _dir = Directory.CreateTempSubdirectory("vl-llama-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture => Path.Combine(TestRepository.Root, "fixtures", "medqa", "medqa-fixture.jsonl");

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Run_MedQA_LogLikelihood_End_To_End_And_Serve_A_Rerun_From_The_Cache()
    {
        // Given / When
        var first = await RunAsync(Args("first", "loglikelihood", RealModel.Path, "store/a.db"));

        // Then
        Assert.True(first.Code == 0, first.Output);
        var r1 = Results("first");
        Assert.Equal("llamacpp", r1["manifest"]!["runner"]!["runner"]!.GetValue<string>());
        Assert.Equal(FixtureItems, Accounting(r1, "requests"));
        Assert.Equal(0, Accounting(r1, "cache_hits"));
        var items = Items("first");
        Assert.Equal(FixtureItems, items.Count);
        Assert.All(items, i => Assert.Equal("scored", i["status"]!.GetValue<string>()));

        // When: the same run again on the same store.
        var second = await RunAsync(Args("second", "loglikelihood", RealModel.Path, "store/a.db"));

        // Then: nothing reached the engine, and the results are the same bytes.
        Assert.True(second.Code == 0, second.Output);
        var r2 = Results("second");
        Assert.Equal(0, Accounting(r2, "requests"));
        Assert.Equal(FixtureItems, Accounting(r2, "cache_hits"));
        Assert.Equal(File.ReadAllBytes(At("first/items.jsonl")), File.ReadAllBytes(At("second/items.jsonl")));
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Run_MedQA_Generate_End_To_End()
    {
        var run = await RunAsync([.. Args("gen", "generate", RealModel.Path, "store/g.db"), "--suite-option", "max_tokens=6"]);
        Assert.True(run.Code == 0, run.Output);
        var items = Items("gen");
        Assert.Equal(FixtureItems, items.Count);

        // Random weights answer gibberish: unparseable or scored, but never errored.
        Assert.All(items, i => Assert.NotEqual("errored", i["status"]!.GetValue<string>()));
        Assert.Equal(FixtureItems, Accounting(Results("gen"), "requests"));
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Resume_A_Cancelled_Run_Without_Asking_Again_For_Stored_Answers()
    {
        // Given: a private copy of the model, so that only this test's runner trips the interruption.
        var model = At("model/tiny.gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(model)!);
        File.Copy(RealModel.Path, model);
        using var cancel = new CancellationTokenSource();
        var answered = 0;
        void Interrupt(LlamaCppRunner runner, Requests.ModelResponse response)
        {
            if (runner.Options.ModelPath == model && Interlocked.Increment(ref answered) == 10)
            {
                cancel.Cancel();
            }
        }

        LlamaCppRunner.AnsweredForTests += Interrupt;
        try
        {
            var args = Args("out", "loglikelihood", model, "store/r.db", parallel: 1);

            // When: the run is cancelled after its tenth answer.
            var cancelled = await RunAsync(args, cancel.Token);
            Assert.True(cancelled.Code == 130, cancelled.Output);
            Assert.False(Directory.Exists(At("out")));
            var stored = Volatile.Read(ref answered);
            Assert.InRange(stored, 10, FixtureItems - 1);

            // And resumed.
            var resumed = await RunAsync([.. args, "--resume"]);

            // Then: every stored answer came from the store; only the rest reached the engine.
            Assert.True(resumed.Code == 0, resumed.Output);
            var results = Results("out");
            Assert.True(results["manifest"]!["resumed"]!.GetValue<bool>());
            Assert.Equal(stored, Accounting(results, "cache_hits"));
            Assert.Equal(FixtureItems - stored, Accounting(results, "requests"));

            // And the items are those of an uninterrupted run.
            var straight = await RunAsync(Args("straight", "loglikelihood", model, "store/s.db", parallel: 1));
            Assert.True(straight.Code == 0, straight.Output);
            Assert.Equal(ItemsWithoutLatency("straight"), ItemsWithoutLatency("out"));
        }
        finally
        {
            LlamaCppRunner.AnsweredForTests -= Interrupt;
        }
    }

    private List<string> Args(string outName, string mode, string model, string store, int parallel = 4) =>
    [
        "run", "--suite", "medqa", "--data", Fixture, "--mode", mode, "--runner", "llamacpp",
        "--runner-option", $"model={model}",
        "--runner-option", "threads=1",
        "--runner-option", "context_size=2048",
        "--runner-option", $"parallel={parallel}",
        "--store", At(store), "--out", At(outName),
    ];

    private string At(string name) => Path.Combine(_dir, name);

    private JsonObject Results(string outName) => JsonNode.Parse(File.ReadAllText(At(outName + "/results.json")))!.AsObject();

    private List<JsonObject> Items(string outName) =>
        File.ReadAllLines(At(outName + "/items.jsonl")).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    private string ItemsWithoutLatency(string outName) => string.Join('\n', Items(outName).Select(i =>
    {
        i.Remove("latency_ms");
        return i.ToJsonString();
    }));

    private static long Accounting(JsonObject results, string field) => results["accounting"]![field]!.GetValue<long>();

    private static async Task<(int Code, string Output)> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken = default)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApplication.RunAsync([.. args], stdout, stderr, cancellationToken);
        return (code, $"exit {code}\n{stdout}\n{stderr}");
    }
}
