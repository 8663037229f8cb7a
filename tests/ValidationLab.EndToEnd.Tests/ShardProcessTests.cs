using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ValidationLab.EndToEnd.Tests.Support;
using ValidationLab.Pipeline;
using ValidationLab.Suites.MedQA;

namespace ValidationLab.EndToEnd.Tests;

/// <summary>
/// Sharded runs as a cluster runs them (issue 12): `validationlab run --shard I/N` as real child processes, all at
/// once, against one loopback endpoint and one shared SQLite store; `merge` must give the unsharded run. A shard
/// killed with SIGKILL while the server holds its requests, restarted with `--resume`, must finish without
/// duplicate items or a stored answer asked again, and the merged run must pass `audit verify` after sign-off. The
/// shards record themselves into their evaluation's one registry run, and `merge --run` from the store alone gives
/// the folder merge byte for byte.
/// </summary>
public sealed class ShardProcessTests : IAsyncLifetime
{
    private const int Concurrency = 2;
    private readonly Workspace _ws = new("shard");
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await Endpoint.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ws.Dispose();
    }

    [Fact]
    public async Task Four_concurrent_shard_processes_sharing_one_store_merge_into_the_unsharded_run()
    {
        // 1. Four shard processes at once, one store file.
        const int shards = 4;
        var children = Enumerable.Range(0, shards)
            .Select(i => CliProcess.Start(ShardArgs(i, shards), _ws.Dir, Environment()))
            .ToList();
        try
        {
            await Task.WhenAll(children.Select(c => c.WaitForExitAsync()));
            foreach (var (child, i) in children.Select((c, i) => (c, i)))
            {
                Assert.True(child.ExitCode == 0, $"shard {i} exited {child.ExitCode}\n{child.Stdout}\n{child.Stderr}");
            }
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }

        // Every prompt reached the endpoint exactly once across the four processes.
        Assert.Equal(Repo.FixtureItems, _server.Requests);
        Assert.All(_server.PerPrompt, p => Assert.Equal(1, p.Value));

        // 2. Merge, and run the evaluation unsharded with its own store (so that it asks the endpoint itself).
        var merged = await Workspace.RunInProcessAsync(["merge", "--out", _ws.At("merged"), .. Enumerable.Range(0, shards).Select(ShardDir)]);
        Assert.True(merged.ExitCode == 0, merged.ToString());
        var whole = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "whole", store: _ws.At("whole-store/store.db"), concurrency: Concurrency));
        Assert.True(whole.ExitCode == 0, whole.ToString());

        // 3. Same metrics, items and configuration; the accounting adds up.
        AssertSameEvaluation(_ws.At("whole"), _ws.At("merged"));

        // The four shards recorded into one registry run: merged from the store alone it is the folder merge, byte for byte.
        var runId = ShardedRunId(ShardDir(0));
        var fromStore = await Workspace.RunInProcessAsync(["merge", "--store", _ws.Store, "--run", runId, "--out", _ws.At("merged-from-store")]);
        Assert.True(fromStore.ExitCode == 0, fromStore.ToString());
        AssertSameFiles(_ws.At("merged"), _ws.At("merged-from-store"));
        AssertSameEvaluation(_ws.At("whole"), _ws.At("merged-from-store"));
        Assert.Equal(Enumerable.Range(0, shards).Select(i => (i, "finished", RunFolder.Items(ShardDir(i)).Count)), RegistryShards(_ws.Store, runId));
        Assert.Equal(Repo.FixtureItems, RegistryShardItems(_ws.Store, runId));
        var results = RunFolder.Results(_ws.At("merged"));
        Assert.Equal(Repo.FixtureItems, RunFolder.Accounting(results, "requests"));
        Assert.Equal(0, RunFolder.Accounting(results, "cache_hits"));
        Assert.Equal(shards, results["manifest"]!["merged_from"]!.AsArray().Count);
        Assert.Equal(shards, StoredRuns(_ws.Store).Count(r => r.Finished));
        Assert.Equal(Repo.FixtureItems, StoredHashes(_ws.Store).Count);
        Assert.Equal("ok", IntegrityCheck(_ws.Store));
        Assert.Empty(_ws.FilesContaining(_ws.Key));
    }

    [Fact]
    public async Task A_shard_killed_and_resumed_completes_without_duplicates_or_repeated_requests_and_the_merged_run_passes_audit()
    {
        const int answeredBeforeKill = 3;
        var shardItems = MedQaIds().Count(id => ItemShard.IndexOf("medqa", id, 2) == 1);
        Assert.InRange(shardItems, answeredBeforeKill + Concurrency + 1, Repo.FixtureItems);

        // 1. Shard 1/2 as a child process. The server answers 3 requests and holds every later one; once both of
        //    its connections are held, kill it hard: mid-run by construction, not by timing.
        _server.Hold(r => r.Number > answeredBeforeKill);
        using (var child = CliProcess.Start(ShardArgs(1, 2), _ws.Dir, Environment()))
        {
            var exited = child.WaitForExitAsync();
            var held = _server.WaitUntilAsync(s => s.Held == Concurrency && s.Answered == answeredBeforeKill, $"{answeredBeforeKill} answered and {Concurrency} held");
            if (await Task.WhenAny(held, exited) != held)
            {
                Assert.Fail($"the shard ended before it could be killed (exit {child.ExitCode})\n{child.Stdout}\n{child.Stderr}");
            }

            await held;
            child.KillHard();
        }

        await _server.WaitUntilAsync(s => s.InFlight == 0, "the killed shard's requests ended");
        _server.ReleaseHeld();
        var before = new Dictionary<string, int>(_server.PerPrompt, StringComparer.Ordinal);
        Assert.False(Directory.Exists(ShardDir(1)), "a killed shard left its results folder");
        var stored = StoredHashes(_ws.Store);
        Assert.InRange(stored.Count, 1, answeredBeforeKill + Concurrency);
        Assert.Equal([(1, "running", 0)], RegistryShards(_ws.Store, KilledShardRunId())); // it began, and never ended

        // 2. Restart the same shard with --resume, again as a process.
        _server.ResetCounters();
        using (var resumed = CliProcess.Start([.. ShardArgs(1, 2), "--resume"], _ws.Dir, Environment()))
        {
            await resumed.WaitForExitAsync();
            Assert.True(resumed.ExitCode == 0, $"exit {resumed.ExitCode}\n{resumed.Stdout}\n{resumed.Stderr}");
        }

        // Only what the store did not hold was asked; no stored answer was asked again; no item twice.
        Assert.Equal(shardItems - stored.Count, _server.Requests);
        var items = RunFolder.Items(ShardDir(1));
        Assert.Equal(shardItems, items.Count);
        Assert.Equal(shardItems, items.Select(i => i["item_id"]!.GetValue<string>()).Distinct(StringComparer.Ordinal).Count());
        foreach (var item in items)
        {
            var key = FakeOpenAIServer.PromptKey("e2e-model", item["input"]!.GetValue<string>() + "\n\n" + MedQaPromptBuilder.Instruction);
            var (was, now) = (before.GetValueOrDefault(key), _server.PerPrompt.GetValueOrDefault(key));
            Assert.True(stored.Contains(item["prompt_hash"]!.GetValue<string>()) ? was == 1 && now == 0 : was <= 1 && now == 1,
                $"item {item["item_id"]} was sent {was} time(s) before the kill and {now} after (stored: {stored.Contains(item["prompt_hash"]!.GetValue<string>())})");
        }

        var shardResults = RunFolder.Results(ShardDir(1));
        Assert.True(shardResults["manifest"]!["resumed"]!.GetValue<bool>());

        // The registry holds shard 1 once, recorded by the resumed run (the same run id as the killed one).
        var runId = ShardedRunId(ShardDir(1));
        Assert.Equal([(1, "finished", shardItems)], RegistryShards(_ws.Store, runId));
        Assert.Equal(shardItems, RegistryShardItems(_ws.Store, runId));

        // 3. A merge from the store before shard 0 has run names it; then shard 0, the merge, and the unsharded run.
        var early = await Workspace.RunInProcessAsync(["merge", "--store", _ws.Store, "--run", runId, "--out", _ws.At("merged")]);
        Assert.True(early.ExitCode == 2, early.ToString());
        Assert.Contains($"{Repo.FixtureItems - shardItems} planned item(s) missing: shard 0/2 (not started, {Repo.FixtureItems - shardItems} planned item(s))", early.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_ws.At("merged")));
        var zero = await Workspace.RunInProcessAsync(ShardArgs(0, 2));
        Assert.True(zero.ExitCode == 0, zero.ToString());
        var merged = await Workspace.RunInProcessAsync(["merge", "--store", _ws.Store, "--run", runId, "--out", _ws.At("merged")]);
        Assert.True(merged.ExitCode == 0, merged.ToString());
        var whole = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "whole", store: _ws.At("whole-store/store.db"), concurrency: Concurrency));
        Assert.True(whole.ExitCode == 0, whole.ToString());
        AssertSameEvaluation(_ws.At("whole"), _ws.At("merged"));
        Assert.True(RunFolder.Results(_ws.At("merged"))["manifest"]!["resumed"]!.GetValue<bool>());

        // 4. Gate and sign the merged run with the shared store; the audit trail verifies.
        var policy = _ws.At("policy.yaml");
        File.WriteAllText(policy, "name: release\nrequired_roles: [clinical_reviewer]\ncriteria:\n  - name: has_items\n    path: suites.medqa.counts.items\n    operator: \">\"\n    threshold: 0\n");
        var gate = await Workspace.RunInProcessAsync(["gate", "--run", _ws.At("merged"), "--policy", policy, "--store", _ws.Store]);
        Assert.True(gate.ExitCode == 4, gate.ToString());
        var sign = await Workspace.RunInProcessAsync(["signoff", "--run", _ws.At("merged"), "--as", "Dr Ada Lovelace", "--role", "clinical_reviewer", "--decision", "approve", "--comment", "Merged from 2 shards.", "--store", _ws.Store]);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        var audit = await Workspace.RunInProcessAsync(["audit", "verify", "--store", _ws.Store, "--run", _ws.At("merged")]);
        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.Contains("audit trail intact: 1 record(s) checked", audit.Stdout, StringComparison.Ordinal);

        // 5. A retried pod (--resume --overwrite after the shard had finished: a new run of it, answered from the
        //    store) replaces shard 1's rows and only those; still no item twice.
        _server.ResetCounters();
        var retried = await Workspace.RunInProcessAsync([.. ShardArgs(1, 2), "--resume", "--overwrite"]);
        Assert.True(retried.ExitCode == 0, retried.ToString());
        Assert.Equal(0, _server.Requests);
        Assert.Equal([(0, "finished", Repo.FixtureItems - shardItems), (1, "finished", shardItems)], RegistryShards(_ws.Store, runId));
        Assert.Equal(Repo.FixtureItems, RegistryShardItems(_ws.Store, runId));
        var retriedId = RunFolder.Results(ShardDir(1))["manifest"]!["run_id"]!.GetValue<string>();
        Assert.NotEqual(shardResults["manifest"]!["run_id"]!.GetValue<string>(), retriedId);
        Assert.Equal(retriedId, RegistryShardRunId(_ws.Store, runId, 1));
        Assert.Empty(_ws.FilesContaining(_ws.Key));
    }

    private string ShardDir(int index) => _ws.At($"shard-{index}");

    private List<string> ShardArgs(int index, int count) =>
        _ws.RunArgs(_server, $"shard-{index}", concurrency: Concurrency, extra: ["--shard", $"{index}/{count}"]);

    private Dictionary<string, string> Environment() => new() { [_ws.KeyEnv] = _ws.Key };

    private static IEnumerable<string> MedQaIds() =>
        File.ReadAllLines(Repo.MedQaFixture).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!["realidx"]!.ToJsonString());

    /// <summary>results.json equal apart from run id, timestamps, provenance and wall-time figures; items apart from latency; config.yaml byte for byte.</summary>
    internal static void AssertSameEvaluation(string whole, string merged)
    {
        var expected = RunFolder.Results(whole);
        var actual = RunFolder.Results(merged);
        Assert.Equal(RunFolder.SuitesJson(expected), RunFolder.SuitesJson(actual));
        foreach (var results in new[] { expected, actual })
        {
            foreach (var field in new[] { "run_id", "started_utc", "finished_utc", "merged_from", "resumed" })
            {
                results["manifest"]!.AsObject().Remove(field);
            }
        }

        Assert.Equal(expected["manifest"]!.ToJsonString(), actual["manifest"]!.ToJsonString());
        Assert.Equal(expected["warnings"]!.ToJsonString(), actual["warnings"]!.ToJsonString());
        Assert.Equal(expected["slices"]?.ToJsonString(), actual["slices"]?.ToJsonString());
        Assert.Equal(RunFolder.ItemsWithoutLatency(whole), RunFolder.ItemsWithoutLatency(merged));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "config.yaml")), File.ReadAllText(Path.Combine(merged, "config.yaml")));
    }

    /// <summary>The sharded run of the killed shard, which left no folder to read its key from: the only one in the store.</summary>
    private string KilledShardRunId()
    {
        using var connection = Open(_ws.Store);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT run_id FROM registry_shards";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>The sharded run a shard folder's run recorded into (its count and evaluation key), as the CLI names it.</summary>
    internal static string ShardedRunId(string shardDir)
    {
        var shard = RunFolder.Results(shardDir)["manifest"]!["shard"]!;
        return $"sharded-{shard["count"]!.GetValue<int>()}-{shard["evaluation_sha256"]!.GetValue<string>()[..16]}";
    }

    /// <summary>results.json, items.jsonl, items.csv and config.yaml of two run folders byte for byte.</summary>
    internal static void AssertSameFiles(string expected, string actual)
    {
        foreach (var file in new[] { "results.json", "items.jsonl", "items.csv", "config.yaml" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} of {actual} differs from {expected}'s");
        }
    }

    /// <summary>The sharded run's shards as the store holds them: (index, status, items).</summary>
    private static List<(int Index, string Status, int Items)> RegistryShards(string path, string runId)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT shard_index, status, item_count FROM registry_shards WHERE run_id = $r ORDER BY shard_index";
        command.Parameters.AddWithValue("$r", runId);
        using var reader = command.ExecuteReader();
        var shards = new List<(int, string, int)>();
        while (reader.Read())
        {
            shards.Add((reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return shards;
    }

    /// <summary>How many distinct items the sharded run's shards recorded; equal to the row count, or an item is there twice.</summary>
    private static int RegistryShardItems(string path, string runId)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), count(DISTINCT suite || '/' || item_id) FROM registry_shard_items WHERE run_id = $r";
        command.Parameters.AddWithValue("$r", runId);
        using var reader = command.ExecuteReader();
        reader.Read();
        Assert.Equal(reader.GetInt32(0), reader.GetInt32(1));
        return reader.GetInt32(0);
    }

    private static string RegistryShardRunId(string path, string runId, int index)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT shard_run_id FROM registry_shards WHERE run_id = $r AND shard_index = $i";
        command.Parameters.AddWithValue("$r", runId);
        command.Parameters.AddWithValue("$i", index);
        return (string)command.ExecuteScalar()!;
    }

    private static List<(string RunId, bool Finished)> StoredRuns(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT run_id, status FROM runs";
        using var reader = command.ExecuteReader();
        var runs = new List<(string, bool)>();
        while (reader.Read())
        {
            runs.Add((reader.GetString(0), reader.GetString(1) != "running"));
        }

        return runs;
    }

    private static HashSet<string> StoredHashes(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_hash FROM responses";
        using var reader = command.ExecuteReader();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            hashes.Add(reader.GetString(0));
        }

        return hashes;
    }

    /// <summary>SQLite's own check of the file four processes wrote at once: "ok" when nothing is corrupt.</summary>
    private static string IntegrityCheck(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
