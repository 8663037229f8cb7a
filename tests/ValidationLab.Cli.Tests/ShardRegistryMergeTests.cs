using System.Text.Json.Nodes;
using ValidationLab.Cli.Tests.Support;
using ValidationLab.Pipeline;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// Issue 12: shards that share a store record themselves into their evaluation's one sharded run, and
/// `merge --run RUN_ID` builds the merged run from the registry alone — no shard folder needed — identical to the
/// folder merge and to the unsharded run, or refuses naming the shards that have not finished and their items.
/// (PostgreSQL, and shards as concurrent processes: tests/ValidationLab.EndToEnd.Tests ShardProcessTests/ShardPostgresTests.)
/// </summary>
public sealed class ShardRegistryMergeTests : IDisposable
{
    private static readonly string[] MedQa = ["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture];
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Store => _dir.Combine("store.db");

    [Fact]
    public async Task Should_Merge_From_The_Registry_Alone_Identically_To_The_Folder_Merge_And_The_Unsharded_Run()
    {
        // Given: the unsharded run, and 3 shards recorded in one store, merged once from their folders
        var whole = await Run([.. MedQa, "--out", _dir.Combine("whole"), "--no-registry"]);
        var shards = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var shard = await CliRunner.RunAsync([.. MedQa, "--shard", $"{i}/3", "--store", Store, "--out", _dir.Combine($"shard-{i}")]);
            Assert.True(shard.ExitCode == 0, shard.ToString());
            shards.Add(_dir.Combine($"shard-{i}"));
            Assert.Contains($"shard {i}/3 recorded in sharded run {RunIdOf(shards[i])} ({i + 1} of 3 shards finished)", shard.Stderr, StringComparison.Ordinal);
        }

        var runId = RunIdOf(shards[0]);

        var folderMerge = await CliRunner.RunAsync(["merge", "--out", _dir.Combine("folder-merged"), "--no-registry", .. shards]);
        Assert.True(folderMerge.ExitCode == 0, folderMerge.ToString());
        var shardIds = shards.Select(s => Results(s)["manifest"]!["run_id"]!.GetValue<string>()).ToList();
        shards.ForEach(s => Directory.Delete(s, recursive: true));

        // When: the merge reads the registry only (the shard folders are gone)
        var merged = await CliRunner.RunAsync("merge", "--store", Store, "--run", runId, "--out", _dir.Combine("merged"));

        // Then: the folder merge's files byte for byte (same id, times, accounting), and the unsharded run's evaluation
        Assert.True(merged.ExitCode == 0, merged.ToString());
        foreach (var file in new[] { "results.json", "items.jsonl", "items.csv", "config.yaml" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(_dir.Combine("folder-merged"), file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_dir.Combine("merged"), file))), $"{file} differs from the folder merge's");
        }

        var results = Results(_dir.Combine("merged"));
        Assert.Equal(runId, results["manifest"]!["run_id"]!.GetValue<string>());
        Assert.Equal(shardIds, results["manifest"]!["merged_from"]!.AsArray().Select(n => n!.GetValue<string>()));
        AssertSameEvaluation(whole, _dir.Combine("merged"));

        // The registry's one run is the merged run, with its shards' progress; runs show lists the shards.
        var listed = await CliRunner.RunAsync("runs", "list", "--store", Store, "--json");
        var run = Assert.Single(JsonNode.Parse(listed.Stdout)!.AsArray())!;
        Assert.Equal((runId, MedQaFiles.FixtureLines.Count), (run["run_id"]!.GetValue<string>(), run["items"]!.GetValue<int>()));
        Assert.Equal("""{"count":3,"finished":3,"merged":true}""", run["shards"]!.ToJsonString());
        var shown = await CliRunner.RunAsync("runs", "show", runId, "--store", Store, "--json");
        Assert.Equal(shardIds, JsonNode.Parse(shown.Stdout)!["shards"]!.AsArray().Select(s => s!["shard_run_id"]!.GetValue<string>()));
        var exported = await CliRunner.RunAsync("runs", "export", runId, "--out", _dir.Combine("exported"), "--store", Store);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir.Combine("merged"), "items.jsonl")), File.ReadAllBytes(Path.Combine(_dir.Combine("exported"), "items.jsonl")));
    }

    [Fact]
    public async Task Should_Name_The_Shards_Not_Finished_With_Their_Planned_Items_And_Write_Nothing()
    {
        // Given: shards 0 and 2 of 3 recorded, shard 1 never run
        foreach (var i in new[] { 0, 2 })
        {
            await Run([.. MedQa, "--shard", $"{i}/3", "--store", Store, "--out", _dir.Combine($"shard-{i}")]);
        }

        var runId = RunIdOf(_dir.Combine("shard-0"));

        // When
        var result = await CliRunner.RunAsync("merge", "--store", Store, "--run", runId, "--out", _dir.Combine("merged"));
        var listed = await CliRunner.RunAsync("runs", "list", "--store", Store);

        // Then: exit 2, one line naming the shard, its state and how many planned items it holds; no merged folder
        var inShard1 = MedQaFiles.Questions.Count(q => ItemShard.IndexOf("medqa", q.Id, 3) == 1);
        Assert.InRange(inShard1, 1, MedQaFiles.Questions.Count - 1);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains($"sharded run {runId} in {Store} is not complete: 1 of 3 shard(s) have not finished, {inShard1} planned item(s) missing: shard 1/3 (not started, {inShard1} planned item(s))", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("merged")));
        Assert.Contains("2 of 3 shards finished", listed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Find_The_Sharded_Run_From_The_Config_File_The_Shards_Ran_As_A_Merge_Job_Does()
    {
        // Given: a cluster-style config file (the Job passes it and --store, never a run id)
        var config = Path.Combine(RepoPaths.Root, "fixtures", "configs", "medqa-slices.yaml");
        var none = await CliRunner.RunAsync("merge", "--store", Store, "--config", config, "--out", _dir.Combine("m0"));
        Assert.Equal(2, none.ExitCode); // the store does not exist yet
        for (var i = 0; i < 2; i++)
        {
            await Run(["run", "--config", config, "--shard", $"{i}/2", "--store", Store, "--out", _dir.Combine($"shard-{i}")]);
        }

        var whole = await Run(["run", "--config", config, "--no-registry", "--out", _dir.Combine("whole")]);
        var other = await CliRunner.RunAsync("merge", "--store", Store, "--config", Path.Combine(RepoPaths.Root, "fixtures", "configs", "medqa-baseline.yaml"), "--out", _dir.Combine("m1"));

        // When
        var merged = await CliRunner.RunAsync("merge", "--store", Store, "--config", config, "--out", _dir.Combine("merged"));

        // Then: the sharded run of that config, merged like the unsharded run (slices included); another config has none
        Assert.True(merged.ExitCode == 0, merged.ToString());
        Assert.Equal(RunIdOf(_dir.Combine("shard-0")), Results(_dir.Combine("merged"))["manifest"]!["run_id"]!.GetValue<string>());
        AssertSameEvaluation(whole, _dir.Combine("merged"));
        AssertRefused(other, "no sharded run of this configuration (evaluation key", "--store");
    }

    [Fact]
    public async Task Should_Refuse_A_Second_Run_Of_A_Shard_With_Other_Results_Unless_Overwrite_Then_Replace_Only_It()
    {
        // Given: shards 0 and 1 of 2 recorded; then the data's gold answer of one of shard 0's items changes (same
        // path, so the same evaluation key) and shard 0 is run again: same items, other results
        var data = _dir.WriteLines("medqa.jsonl", MedQaFiles.FixtureLines);
        string[] args = ["run", "--suite", "medqa", "--data", data, "--store", Store];
        for (var i = 0; i < 2; i++)
        {
            await Run([.. args, "--shard", $"{i}/2", "--out", _dir.Combine($"shard-{i}")]);
        }

        var runId = RunIdOf(_dir.Combine("shard-0"));
        var changed = MedQaFiles.Questions.Select((q, line) => (q, line)).First(x => ItemShard.IndexOf("medqa", x.q.Id, 2) == 0);
        var lines = MedQaFiles.FixtureLines.ToArray();
        var question = JsonNode.Parse(lines[changed.line])!.AsObject();
        var other = changed.q.Letters.First(l => l != changed.q.Gold);
        question["answer_idx"] = other;
        question["answer"] = question["options"]![other]!.GetValue<string>();
        lines[changed.line] = question.ToJsonString();
        _dir.WriteLines("medqa.jsonl", lines);

        // When
        var again = await CliRunner.RunAsync([.. args, "--shard", "0/2", "--out", _dir.Combine("shard-0-again")]);
        var replaced = await CliRunner.RunAsync([.. args, "--shard", "0/2", "--out", _dir.Combine("shard-0-again"), "--overwrite"]);

        // Then: the second run's folder is complete but its record is refused (exit 3), naming the shard, the run that
        // holds it and the first differing item; with --overwrite it replaces shard 0, and shard 1 is untouched
        Assert.True(again.ExitCode == 3, again.ToString());
        Assert.True(File.Exists(_dir.Combine("shard-0-again/results.json")));
        var firstId = Results(_dir.Combine("shard-0"))["manifest"]!["run_id"]!.GetValue<string>();
        Assert.Contains($"shard 0/2 of sharded run {runId} in {Store} is already recorded by run {firstId} (finished, ", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("with different results (item ", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run the shard again with --overwrite to replace that record", again.Stderr, StringComparison.Ordinal);
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        var shown = JsonNode.Parse((await CliRunner.RunAsync("runs", "show", runId, "--store", Store, "--json")).Stdout)!["shards"]!.AsArray();
        Assert.Equal(
            [Results(_dir.Combine("shard-0-again"))["manifest"]!["run_id"]!.GetValue<string>(), Results(_dir.Combine("shard-1"))["manifest"]!["run_id"]!.GetValue<string>()],
            shown.Select(s => s!["shard_run_id"]!.GetValue<string>()));
        Assert.Equal(MedQaFiles.FixtureLines.Count, shown.Sum(s => s!["items"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Should_Refuse_An_Unknown_Or_Unsharded_Run_And_Both_Or_Neither_Source()
    {
        // Given: an unsharded run in the store
        await Run([.. MedQa, "--store", Store, "--out", _dir.Combine("plain")]);
        var plainId = Results(_dir.Combine("plain"))["manifest"]!["run_id"]!.GetValue<string>();

        // When
        var unknown = await CliRunner.RunAsync("merge", "--store", Store, "--run", "sharded-3-0000000000000000", "--out", _dir.Combine("m1"));
        var unsharded = await CliRunner.RunAsync("merge", "--store", Store, "--run", plainId, "--out", _dir.Combine("m2"));
        var both = await CliRunner.RunAsync("merge", "--store", Store, "--run", plainId, "--out", _dir.Combine("m3"), _dir.Combine("plain"));
        var neither = await CliRunner.RunAsync("merge", "--store", Store, "--out", _dir.Combine("m4"));
        var noStore = await CliRunner.RunAsync("merge", "--store", _dir.Combine("absent.db"), "--run", plainId, "--out", _dir.Combine("m5"));

        // Then
        AssertRefused(unknown, "there is no run 'sharded-3-0000000000000000' in the run registry");
        AssertRefused(unsharded, $"run '{plainId}'", "is not a sharded run");
        AssertRefused(both, "give one of --run or --config (merge from the run registry) or shard folders, not several");
        AssertRefused(neither, "give the shard run folders to merge, or --run RUN_ID");
        AssertRefused(noStore, "there is no run registry here");
        Assert.False(File.Exists(_dir.Combine("absent.db")));
        Assert.DoesNotContain(_dir.Entries(), e => e.StartsWith('m'));
    }

    /// <summary>The sharded run a shard folder's run records into: its count and its evaluation key's first 16 hex digits (never a hard-coded hash).</summary>
    private static string RunIdOf(string shardDir)
    {
        var shard = Results(shardDir)["manifest"]!["shard"]!;
        return $"sharded-{shard["count"]!.GetValue<int>()}-{shard["evaluation_sha256"]!.GetValue<string>()[..16]}";
    }

    private static async Task<string> Run(string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return args[Array.IndexOf(args, "--out") + 1];
    }

    private static JsonObject Results(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "results.json")))!.AsObject();

    private static void AssertRefused(CliResult result, params string[] expected)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.All(expected, e => Assert.Contains(e, line, StringComparison.Ordinal));
    }

    /// <summary>results.json equal to the unsharded run's apart from what names the run or measures wall time; items.jsonl, items.csv and config.yaml byte for byte.</summary>
    private static void AssertSameEvaluation(string whole, string merged)
    {
        var expected = Results(whole);
        var actual = Results(merged);
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
    }
}
