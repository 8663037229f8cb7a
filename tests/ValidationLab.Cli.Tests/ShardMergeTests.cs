using System.Text.Json.Nodes;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// `run --shard I/N` and `merge` (issue 12, scale-out): the merged shards are the unsharded run (every metric,
/// interval, slice and item), the partition does not depend on file order, and bad shard values and mismatched,
/// overlapping or incomplete shard sets stop with exit 2 naming the problem.
/// </summary>
public sealed class ShardMergeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Should_Merge_MedQA_Shards_Into_The_Unsharded_Run()
    {
        // Given
        string[] args = ["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture];
        var whole = await Run([.. args, "--out", _dir.Combine("whole")]);
        var shards = await RunShards(args, 3);

        // When: the shards are named in another order than their indexes
        var merged = await CliRunner.RunAsync("merge", "--out", _dir.Combine("merged"), shards[2], shards[0], shards[1]);

        // Then
        Assert.True(merged.ExitCode == 0, merged.ToString());
        AssertSameRun(whole, _dir.Combine("merged"), shards);
        var counts = shards.Select(s => File.ReadAllLines(Path.Combine(s, "items.jsonl")).Length).ToList();
        Assert.Equal(MedQaFiles.FixtureLines.Count, counts.Sum());
        Assert.All(counts, c => Assert.InRange(c, 1, MedQaFiles.FixtureLines.Count - 1));
    }

    [Fact]
    public async Task Should_Merge_Shards_Of_The_Ward_And_MedQA_Fixtures_With_Clustered_Metrics()
    {
        // Given: the embedded default (the longitudinal ward fixture and MedQA), 4 shards
        var whole = await Run(["run", "--out", _dir.Combine("whole")]);
        var shards = await RunShards(["run"], 4);

        // When
        var merged = await CliRunner.RunAsync(["merge", "--out", _dir.Combine("merged"), .. shards]);

        // Then: patient-weighted (clustered) metrics are recomputed on all decision points, not averaged over shards
        Assert.True(merged.ExitCode == 0, merged.ToString());
        AssertSameRun(whole, _dir.Combine("merged"), shards);
        var results = Results(_dir.Combine("merged"));
        Assert.NotNull(results["suites"]!["longitudinal"]!["metrics"]!["auroc_patient_weighted"]);
        var shardItems = shards.Select(s => Results(s)["suites"]!["longitudinal"]!["counts"]!["items"]!.GetValue<int>()).ToList();
        Assert.Equal(results["suites"]!["longitudinal"]!["counts"]!["items"]!.GetValue<int>(), shardItems.Sum());
        Assert.All(shardItems, n => Assert.True(n > 0));
    }

    [Fact]
    public async Task Should_Merge_Shards_Of_A_Limited_Sliced_Run_Into_That_Run()
    {
        // Given: --limit applies before sharding, so the shards partition exactly the limited (seeded sample) set
        string[] args = ["run", "--config", Path.Combine(RepoPaths.Root, "fixtures", "configs", "medqa-slices.yaml"), "--limit", "30", "--sample"];
        var whole = await Run([.. args, "--out", _dir.Combine("whole")]);
        var shards = await RunShards(args, 2);

        // When
        var merged = await CliRunner.RunAsync("merge", "--out", _dir.Combine("merged"), shards[0], shards[1]);

        // Then
        Assert.True(merged.ExitCode == 0, merged.ToString());
        AssertSameRun(whole, _dir.Combine("merged"), shards);
        Assert.NotNull(Results(_dir.Combine("merged"))["slices"]);
        Assert.Equal(30, File.ReadAllLines(Path.Combine(_dir.Combine("merged"), "items.jsonl")).Length);
    }

    [Fact]
    public async Task Should_Assign_The_Same_Items_To_A_Shard_When_The_Data_File_Is_Reordered()
    {
        // Given
        var reversed = _dir.WriteLines("reversed.jsonl", MedQaFiles.FixtureLines.AsEnumerable().Reverse());

        // When
        var a = await Run(["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--shard", "1/3", "--out", _dir.Combine("a")]);
        var b = await Run(["run", "--suite", "medqa", "--data", reversed, "--shard", "1/3", "--out", _dir.Combine("b")]);

        // Then
        // (compared by question text too: an id that were a line number would follow the reordering)
        var questions = (string dir) => Items(dir).Select(i => i["item_id"]!.GetValue<string>() + "|" + i["input"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.InRange(questions(a).Count, 1, MedQaFiles.FixtureLines.Count - 1);
        Assert.Equal(questions(a), questions(b));
    }

    [Fact]
    public async Task Should_Record_The_Shard_And_An_Evaluation_Key_Shared_By_Every_Shard()
    {
        // Given / When
        string[] args = ["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture];
        var whole = await Run([.. args, "--out", _dir.Combine("whole")]);
        var shards = await RunShards(args, 2);

        // Then: each shard is a different configuration, all of one evaluation: the unsharded run's config
        var wholeSha = Results(whole)["manifest"]!["config_sha256"]!.GetValue<string>();
        var manifests = shards.Select(s => Results(s)["manifest"]!).ToList();
        Assert.Equal([0, 1], manifests.Select(m => m["shard"]!["index"]!.GetValue<int>()));
        Assert.All(manifests, m => Assert.Equal(2, m["shard"]!["count"]!.GetValue<int>()));
        Assert.All(manifests, m => Assert.Equal(wholeSha, m["shard"]!["evaluation_sha256"]!.GetValue<string>()));
        Assert.All(manifests, m => Assert.NotEqual(wholeSha, m["config_sha256"]!.GetValue<string>()));
        Assert.Contains("shard: \"1/2\"", File.ReadAllText(Path.Combine(shards[1], "config.yaml")), StringComparison.Ordinal);
        Assert.Null(Results(whole)["manifest"]!["shard"]);
    }

    [Theory]
    [InlineData("3/2")]
    [InlineData("2/2")]
    [InlineData("0/0")]
    [InlineData("a/b")]
    [InlineData("-1/4")]
    [InlineData("1")]
    [InlineData("1/2/3")]
    public async Task Should_Refuse_A_Bad_Shard_With_Exit_2_And_Write_Nothing(string shard)
    {
        // When
        var result = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--shard", shard, "--out", _dir.Combine("out"));

        // Then
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("'--shard'", line, StringComparison.Ordinal);
        Assert.Contains($"'{shard}'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(_dir.Entries());
    }

    [Fact]
    public async Task Should_Read_The_Shard_From_The_Config_File_And_Name_Its_Line_When_Bad()
    {
        // Given
        var good = _dir.WriteLines("good.yaml", ["shard: 1/3", "runner: baseline", "suites:", "  - name: medqa", $"    data: {RepoPaths.MedQaFixture}"]);
        var bad = _dir.WriteLines("bad.yaml", ["runner: baseline", "shard: 3/3", "suites:", "  - name: medqa", $"    data: {RepoPaths.MedQaFixture}"]);

        // When
        var fromFile = await Run(["run", "--config", good, "--out", _dir.Combine("file")]);
        var fromFlag = await Run(["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--shard", "1/3", "--out", _dir.Combine("flag")]);
        var refused = await CliRunner.RunAsync("run", "--config", bad, "--out", _dir.Combine("bad"));

        // Then
        Assert.Equal(Items(fromFlag).Select(i => i["item_id"]!.ToJsonString()), Items(fromFile).Select(i => i["item_id"]!.ToJsonString()));
        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith($"error: {bad}:2: field 'shard':", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Name_The_Missing_Shard()
    {
        var shards = await RunShards(["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture], 3);

        var result = await CliRunner.RunAsync("merge", "--out", _dir.Combine("merged"), shards[0], shards[2]);

        AssertRefused(result, "missing shard(s) 1/3");
    }

    [Fact]
    public async Task Should_Name_A_Missing_Item()
    {
        // Given: one line of shard 2's items.jsonl is gone
        var shards = await RunShards(["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture], 3);
        var path = Path.Combine(shards[2], "items.jsonl");
        var lines = File.ReadAllLines(path);
        var lost = JsonNode.Parse(lines[0])!["item_id"]!.GetValue<string>();
        File.WriteAllLines(path, lines[1..]);

        // When
        var result = await CliRunner.RunAsync("merge", "--out", _dir.Combine("merged"), shards[0], shards[1], shards[2]);

        // Then
        AssertRefused(result, $"1 planned item(s) are in no shard run: medqa/{lost} (shard 2)");
    }

    [Fact]
    public async Task Should_Refuse_Overlapping_Shards_Naming_The_Item()
    {
        // Given: shard 1's items.jsonl also holds an item of shard 0
        var shards = await RunShards(["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture], 2);
        var stray = File.ReadAllLines(Path.Combine(shards[0], "items.jsonl"))[0];
        File.AppendAllLines(Path.Combine(shards[1], "items.jsonl"), [stray]);

        // When
        var result = await CliRunner.RunAsync("merge", "--out", _dir.Combine("merged"), shards[0], shards[1]);

        // Then
        AssertRefused(result, $"item '{JsonNode.Parse(stray)!["item_id"]!.GetValue<string>()}' of suite 'medqa' is in the runs of shard 0 and shard 1: overlapping shards");
    }

    [Fact]
    public async Task Should_Refuse_Shards_Of_Another_Evaluation_Naming_The_Difference()
    {
        // Given: shard 1 was run with another seed
        string[] args = ["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture];
        var zero = await Run([.. args, "--shard", "0/2", "--out", _dir.Combine("s0")]);
        var one = await Run([.. args, "--shard", "1/2", "--seed", "5", "--out", _dir.Combine("s1")]);
        var otherCount = await Run([.. args, "--shard", "1/3", "--out", _dir.Combine("t1")]);

        // When
        var seed = await CliRunner.RunAsync("merge", "--out", _dir.Combine("m1"), zero, one);
        var count = await CliRunner.RunAsync("merge", "--out", _dir.Combine("m2"), zero, otherCount);

        // Then
        AssertRefused(seed, "not a shard of the same evaluation", "manifest.seed differs (0 vs 5)");
        AssertRefused(count, "manifest.shard.count differs (2 vs 3)");
    }

    [Fact]
    public async Task Should_Refuse_A_Whole_Run_And_An_Edited_Config()
    {
        // Given
        string[] args = ["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture];
        var whole = await Run([.. args, "--out", _dir.Combine("whole")]);
        var shards = await RunShards(args, 2);
        File.AppendAllText(Path.Combine(shards[1], "config.yaml"), "# edited\n");

        // When
        var notShard = await CliRunner.RunAsync("merge", "--out", _dir.Combine("m1"), shards[0], whole);
        var edited = await CliRunner.RunAsync("merge", "--out", _dir.Combine("m2"), shards[0], shards[1]);

        // Then
        AssertRefused(notShard, "not a shard run: results.json has no manifest.shard");
        AssertRefused(edited, "config.yaml was changed after the run");
    }

    [Fact]
    public async Task Should_Record_The_Merged_Run_In_The_Registry_As_One_Run()
    {
        // Given: two shards recorded in one store
        var store = _dir.Combine("store.db");
        var shards = await RunShards(["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--store", store], 2);

        // When
        var merged = await CliRunner.RunAsync("merge", "--out", _dir.Combine("merged"), "--store", store, shards[0], shards[1]);
        var listed = await CliRunner.RunAsync("runs", "list", "--store", store, "--json");

        // Then: the registry holds one run, the evaluation's sharded run: both shards recorded into it, then the merge
        Assert.True(merged.ExitCode == 0, merged.ToString());
        Assert.True(listed.ExitCode == 0, listed.ToString());
        var mergedId = Results(_dir.Combine("merged"))["manifest"]!["run_id"]!.GetValue<string>();
        var key = Results(shards[0])["manifest"]!["shard"]!["evaluation_sha256"]!.GetValue<string>();
        Assert.Equal($"sharded-2-{key[..16]}", mergedId);
        var run = Assert.Single(JsonNode.Parse(listed.Stdout)!.AsArray())!;
        Assert.Equal(mergedId, run["run_id"]!.GetValue<string>());
        Assert.Equal("""{"count":2,"finished":2,"merged":true}""", run["shards"]!.ToJsonString());
        Assert.Equal(MedQaFiles.FixtureLines.Count, run["items"]!.GetValue<int>());
        var exported = await CliRunner.RunAsync("runs", "export", mergedId, "--out", _dir.Combine("exported"), "--store", store);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir.Combine("merged"), "items.jsonl")), File.ReadAllBytes(Path.Combine(_dir.Combine("exported"), "items.jsonl")));
    }

    [Fact]
    public async Task Should_Refuse_A_Malformed_Store_Before_Merging()
    {
        // Given
        var shards = await RunShards(["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--no-registry"], 2);

        // When
        var result = await CliRunner.RunAsync("merge", "--out", _dir.Combine("merged"), "--store", "Host=127.0.0.1;Port=not-a-port;Username=vl;Password=hunter2", shards[0], shards[1]);

        // Then: exit 2 naming the store, never its password, and no merged folder
        AssertRefused(result, "--store");
        Assert.DoesNotContain("hunter2", result.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> Run(string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return args[Array.IndexOf(args, "--out") + 1];
    }

    private async Task<List<string>> RunShards(string[] args, int count)
    {
        var dirs = new List<string>();
        for (var i = 0; i < count; i++)
        {
            dirs.Add(await Run([.. args, "--shard", $"{i}/{count}", "--out", _dir.Combine($"shard-{i}")]));
        }

        return dirs;
    }

    private void AssertRefused(CliResult result, params string[] expected)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.All(expected, e => Assert.Contains(e, line, StringComparison.Ordinal));
        Assert.DoesNotContain(_dir.Entries(), e => e.StartsWith('m'));
    }

    private static JsonObject Results(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "results.json")))!.AsObject();

    private static List<JsonObject> Items(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "items.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    /// <summary>
    /// results.json equal apart from what names this run or measures wall time (run id, timestamps, merged_from,
    /// wall_seconds, items_per_second); items.jsonl, items.csv and config.yaml byte for byte.
    /// </summary>
    private static void AssertSameRun(string whole, string merged, IReadOnlyList<string> shards)
    {
        var expected = Results(whole);
        var actual = Results(merged);
        Assert.Equal(shards.Select(s => Results(s)["manifest"]!["run_id"]!.GetValue<string>()), actual["manifest"]!["merged_from"]!.AsArray().Select(n => n!.GetValue<string>()));
        foreach (var results in new[] { expected, actual })
        {
            foreach (var field in new[] { "run_id", "started_utc", "finished_utc", "merged_from" })
            {
                results["manifest"]!.AsObject().Remove(field);
            }

            results["accounting"]!.AsObject().Remove("wall_seconds");
            results["accounting"]!.AsObject().Remove("items_per_second");
        }

        Assert.Equal(expected.ToJsonString(), actual.ToJsonString());
        foreach (var file in new[] { "items.jsonl", "items.csv", "config.yaml" })
        {
            Assert.True(File.ReadAllText(Path.Combine(whole, file)) == File.ReadAllText(Path.Combine(merged, file)), $"{file} differs from the unsharded run's");
        }

        Assert.True(File.Exists(Path.Combine(merged, "report.html")));
    }
}
