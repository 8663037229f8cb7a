using System.Text.Json.Nodes;
using ValidationLab.Cli;
using ValidationLab.Testing;

namespace ValidationLab.Runners.LlamaCpp.Tests;

/// <summary>
/// `validationlab run --suite longitudinal --runner llamacpp` through the real CLI, in process, on the bundled
/// generated-ward cohort (task generated-deterioration-24h), first 20 decision points. The tiny random model answers
/// gibberish, so most answers carry no probability: the honest outcome is that they are counted unparseable — never
/// guessed, never scored as wrong, never in a risk metric — and that scored + unparseable + errored accounts for every
/// decision point. Generate mode is rerun on the same store and must be answered entirely from the response cache;
/// risk mode checks that a RiskRequest is answered by generation through this runner.
/// </summary>
public sealed class LongitudinalEndToEndTests : IDisposable
{
    private const int Limit = 20;
    private readonly string _dir = Directory.CreateTempSubdirectory("vl-llama-long-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Cohort => Path.Combine(TestRepository.Root, "fixtures", "longitudinal", "generated-ward");

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Account_For_Every_Decision_Point_In_Generate_Mode_And_Serve_A_Rerun_From_The_Cache()
    {
        // Given / When
        var generate = new[] { "--suite-option", "mode=generate", "--suite-option", "max_tokens=8" };
        var first = await RunAsync([.. Args("first", "store/g.db"), .. generate]);

        // Then: the run completes and writes its results.
        Assert.True(first.Code == 0, first.Output);
        var r1 = Results("first");
        Assert.Equal("llamacpp", r1["manifest"]!["runner"]!["runner"]!.GetValue<string>());
        var suite = Suite(r1);
        Assert.Equal("generate", suite["mode"]!.GetValue<string>());
        var items = Items("first");
        Assert.Equal(Limit, items.Count);
        AssertHonestAccounting(suite, items);

        // Every decision point reached the engine, and none failed there.
        Assert.Equal(Limit, Accounting(r1, "requests"));
        Assert.Equal(0, Accounting(r1, "cache_hits"));
        Assert.Equal(0, Accounting(r1, "errored_requests"));
        Assert.Equal(0, Count(suite, "errored"));
        Assert.True(Accounting(r1, "completion_tokens") > 0, first.Output);

        // When: the same run again on the same store.
        var second = await RunAsync([.. Args("second", "store/g.db"), .. generate]);

        // Then: nothing reached the engine, and the items are the same bytes.
        Assert.True(second.Code == 0, second.Output);
        var r2 = Results("second");
        Assert.Equal(0, Accounting(r2, "requests"));
        Assert.Equal(Limit, Accounting(r2, "cache_hits"));
        Assert.Equal(File.ReadAllBytes(At("first/items.jsonl")), File.ReadAllBytes(At("second/items.jsonl")));
        Assert.Equal(suite["counts"]!.ToJsonString(), Suite(r2)["counts"]!.ToJsonString());
    }

    [RealDataFact("models/llama-2-tiny-random.gguf")]
    public async Task Should_Answer_Risk_Requests_By_Generation_End_To_End()
    {
        // Given / When: risk mode (RiskRequest with features, context and the chat framing) on the same runner.
        var run = await RunAsync([.. Args("risk", "store/r.db"), "--suite-option", "mode=risk"]);

        // Then: every decision point was answered in text by the engine and parsed like any text runner's answer.
        Assert.True(run.Code == 0, run.Output);
        var results = Results("risk");
        var suite = Suite(results);
        Assert.Equal("risk", suite["mode"]!.GetValue<string>());
        var items = Items("risk");
        Assert.Equal(Limit, items.Count);
        AssertHonestAccounting(suite, items);
        Assert.Equal(Limit, Accounting(results, "requests"));
        Assert.Equal(0, Accounting(results, "errored_requests"));
        Assert.Equal(0, Count(suite, "errored"));
        Assert.True(Accounting(results, "completion_tokens") > 0, run.Output);
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i["response"]?.GetValue<string>()), i.ToJsonString()));
    }

    /// <summary>
    /// scored + unparseable + errored = the decision points, in the counts, the count metrics and items.jsonl;
    /// an unparseable item carries no score and no verdict; no risk metric rests on more items than were scored.
    /// </summary>
    private static void AssertHonestAccounting(JsonObject suite, List<JsonObject> items)
    {
        var counts = suite["counts"]!.AsObject();
        var scored = counts["scored"]!.GetValue<int>();
        var unparseable = counts["unparseable"]!.GetValue<int>();
        var errored = counts["errored"]!.GetValue<int>();
        Assert.Equal(items.Count, counts["items"]!.GetValue<int>());
        Assert.Equal(items.Count, scored + unparseable + errored);
        Assert.Equal(items.Count, Count(suite, "task_decision_points"));
        Assert.Equal(unparseable, Count(suite, "unparseable"));
        Assert.Equal(errored, Count(suite, "errored"));

        // items.jsonl says the same, item by item.
        string Status(JsonObject i) => i["status"]!.GetValue<string>();
        Assert.Equal(scored, items.Count(i => Status(i) == "scored"));
        Assert.Equal(unparseable, items.Count(i => Status(i) == "unparseable"));
        Assert.Equal(errored, items.Count(i => Status(i) == "errored"));

        // Random weights: most answers hold no probability, and they are counted apart, not guessed.
        Assert.True(unparseable > 0, suite.ToJsonString());
        foreach (var item in items.Where(i => Status(i) == "unparseable"))
        {
            Assert.Null(item["score"]);
            Assert.Null(item["prediction"]);
            Assert.Null(item["correct"]);
            Assert.Null(item["error"]);
            Assert.False(string.IsNullOrEmpty(item["response"]?.GetValue<string>()), item.ToJsonString());
            Assert.Contains("unparseable answer", item["explanation"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        foreach (var item in items.Where(i => Status(i) == "scored"))
        {
            Assert.InRange(item["score"]!.GetValue<double>(), 0.0, 1.0);
        }

        // Unparseable and errored points are left out of every risk metric (AUROC and the rest): none rests on
        // more than the scored points, and with none scored there is none at all.
        var risk = suite["metrics"]!.AsObject().Where(m => m.Value!["kind"]!.GetValue<string>() != "count").ToList();
        Assert.All(risk, m => Assert.True(m.Value!["n"]!.GetValue<int>() <= scored, $"{m.Key}: {m.Value!.ToJsonString()}"));
        if (scored == 0)
        {
            Assert.Empty(risk);
            Assert.False(suite["metrics"]!.AsObject().ContainsKey("auroc"));
        }

        var notes = suite["notes"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains(notes, n => n.StartsWith($"{unparseable} text answer(s) gave no readable probability", StringComparison.Ordinal));
    }

    private List<string> Args(string outName, string store) =>
    [
        "run", "--suite", "longitudinal", "--data", Cohort, "--runner", "llamacpp",
        "--suite-option", "task=generated-deterioration-24h",
        "--suite-option", "token_budget=300",
        "--suite-option", "bootstrap_resamples=0",
        "--runner-option", $"model={RealModel.Path}",
        "--runner-option", "threads=1",
        // Prompts of ~750 tokens at token_budget 300, plus room for the 256 tokens a risk answer may take.
        "--runner-option", "context_size=2048",
        "--runner-option", "parallel=4",
        "--limit", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--store", At(store), "--out", At(outName),
    ];

    private string At(string name) => Path.Combine(_dir, name);

    private JsonObject Results(string outName) => JsonNode.Parse(File.ReadAllText(At(outName + "/results.json")))!.AsObject();

    private static JsonObject Suite(JsonObject results) => results["suites"]!["longitudinal"]!.AsObject();

    private List<JsonObject> Items(string outName) =>
        File.ReadAllLines(At(outName + "/items.jsonl")).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    private static int Count(JsonObject suite, string metric) => (int)suite["metrics"]![metric]!["value"]!.GetValue<double>();

    private static long Accounting(JsonObject results, string field) => results["accounting"]![field]!.GetValue<long>();

    private static async Task<(int Code, string Output)> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken = default)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApplication.RunAsync([.. args], stdout, stderr, cancellationToken);
        return (code, $"exit {code}\n{stdout}\n{stderr}");
    }
}
