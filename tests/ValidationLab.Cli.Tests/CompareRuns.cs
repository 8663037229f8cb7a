using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValidationLab.Cli.Tests.Support;
using ValidationLab.Output;
using ValidationLab.Results;
using ValidationLab.Runners;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// Real run folders for compare tests: MedQA-format questions answered by replayed predictions through
/// `validationlab run`, or (for risk suites, which no shipped suite produces yet) item results written by the
/// harness's own <see cref="RunWriter"/>.
/// </summary>
internal static class CompareRuns
{
    /// <summary><paramref name="n"/> four-option questions "q1".."qn", gold A, all with meta_info step1.</summary>
    public static string WriteQuestions(TempDir dir, string name, int n, Func<int, string>? question = null, Func<int, string>? gold = null) =>
        dir.WriteLines(name, Enumerable.Range(1, n).Select(i => new JsonObject
        {
            ["question"] = question?.Invoke(i) ?? $"Question number {i}: which option is right?",
            ["options"] = new JsonObject { ["A"] = "alpha", ["B"] = "beta", ["C"] = "gamma", ["D"] = "delta" },
            ["answer_idx"] = gold?.Invoke(i) ?? "A",
            ["meta_info"] = "step1",
            ["realidx"] = i,
        }.ToJsonString()));

    /// <summary>Predictions answering gold A (right) or B (wrong) per item.</summary>
    public static string WritePredictions(TempDir dir, string name, IReadOnlyList<bool> correct) =>
        dir.WriteLines(name, new[] { "item_id,response" }.Concat(correct.Select((c, i) => $"{i + 1},The answer is ({(c ? "A" : "B")}).")));

    /// <summary>Item i correct in the baseline / candidate for a paired table (a both, b candidate only, c baseline only, d neither).</summary>
    public static (bool[] Baseline, bool[] Candidate) Table(int a, int b, int c, int d)
    {
        var baseline = Enumerable.Repeat(true, a).Concat(Enumerable.Repeat(false, b)).Concat(Enumerable.Repeat(true, c)).Concat(Enumerable.Repeat(false, d)).ToArray();
        var candidate = Enumerable.Repeat(true, a).Concat(Enumerable.Repeat(true, b)).Concat(Enumerable.Repeat(false, c)).Concat(Enumerable.Repeat(false, d)).ToArray();
        return (baseline, candidate);
    }

    public static async Task<string> RunAsync(TempDir dir, string name, string data, IReadOnlyList<bool> correct)
    {
        var predictions = WritePredictions(dir, name + ".csv", correct);
        var outDir = dir.Combine(name);
        var result = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", data, "--predictions", predictions, "--out", outDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        return outDir;
    }

    /// <summary>Compare and read comparison.json back (asserting exit 0).</summary>
    public static async Task<(CliResult Cli, JsonElement Json)> CompareAsync(TempDir dir, string baseline, string candidate, params string[] extra)
    {
        var outDir = dir.Combine("cmp-" + Guid.NewGuid().ToString("N")[..8]);
        var result = await CliRunner.RunAsync(["compare", "--baseline", baseline, "--candidate", candidate, "--out", outDir, .. extra]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "comparison.json")));
        return (result, doc.RootElement.Clone());
    }

    /// <summary>Add <c>manifest.limit</c> to a run folder's results.json, as a run with <c>--limit</c> records it.</summary>
    public static void SetLimit(string runDir, int count, bool sampled, int seed)
    {
        var path = Path.Combine(runDir, "results.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        root["manifest"]!.AsObject()["limit"] = new JsonObject { ["count"] = count, ["sampled"] = sampled, ["seed"] = seed };
        File.WriteAllText(path, root.ToJsonString());
    }

    /// <summary>A risk-suite run folder: one item per decision point, with score, outcome label and patient.</summary>
    public static async Task<string> WriteRiskRunAsync(TempDir dir, string name, string model, IReadOnlyList<string> clusters, IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        var items = Enumerable.Range(0, labels.Count).Select(i => new ItemResult
        {
            Suite = "deterioration",
            ItemId = string.Create(CultureInfo.InvariantCulture, $"dp{i:D4}"),
            ClusterId = clusters[i],
            Status = ItemStatus.Scored,
            PromptHash = string.Create(CultureInfo.InvariantCulture, $"{i:x64}"),
            Score = scores[i],
            Label = labels[i],
            Response = scores[i].ToString("R", CultureInfo.InvariantCulture),
            Explanation = "risk score",
        }).ToList();
        var run = new RunResult
        {
            Manifest = new RunManifest
            {
                RunId = "run-" + name,
                StartedUtc = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
                FinishedUtc = new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero),
                HarnessVersion = "test",
                ConfigSha256 = "c0ffee",
                DataFiles = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["/data/cohort.ndjson"] = new string('a', 64) },
                Runner = new RunnerIdentity { Runner = "replay", Model = model },
                Seed = 0,
            },
            Suites = new SortedDictionary<string, SuiteResult>(StringComparer.Ordinal),
            Accounting = new RunAccounting(),
        };
        var outDir = dir.Combine(name);
        await RunWriter.WriteAsync(outDir, run, items, [], CancellationToken.None);
        return outDir;
    }
}
