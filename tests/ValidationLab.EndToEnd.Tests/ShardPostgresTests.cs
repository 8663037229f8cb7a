using Npgsql;
using ValidationLab.EndToEnd.Tests.Support;

namespace ValidationLab.EndToEnd.Tests;

/// <summary>
/// Issue 12, "Verified": 4 shard processes running at the same time against one PostgreSQL store (as pods on
/// different machines would) share its response cache, and their merge is the unsharded run. Needs the test server
/// of .ci/postgres.sh (VALIDATIONLAB_TEST_POSTGRES); each test gets a database of its own.
/// </summary>
public sealed class ShardPostgresTests : IAsyncLifetime
{
    private const int Shards = 4;
    private readonly Workspace _ws = new("shardpg");
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await Endpoint.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ws.Dispose();
    }

    [PostgresFact]
    public async Task Four_concurrent_shard_processes_on_one_PostgreSQL_store_share_its_cache_and_merge_into_the_unsharded_run()
    {
        using var database = new Database();

        // 1. Four shard processes at once, one PostgreSQL store.
        var children = Enumerable.Range(0, Shards)
            .Select(i => CliProcess.Start(_ws.RunArgs(_server, $"shard-{i}", store: database.ConnectionString, concurrency: 2, extra: ["--shard", $"{i}/{Shards}"]),
                _ws.Dir, new Dictionary<string, string> { [_ws.KeyEnv] = _ws.Key }, CliOwnBuild()))
            .ToList();
        try
        {
            await Task.WhenAll(children.Select(c => c.WaitForExitAsync()));
            foreach (var (child, i) in children.Select((c, i) => (c, i)))
            {
                Assert.True(child.ExitCode == 0, $"shard {i} exited {child.ExitCode}\n{child.Stdout}\n{child.Stderr}");
                Assert.DoesNotContain(database.Password, child.Stdout + child.Stderr, StringComparison.Ordinal);
            }
        }
        finally
        {
            children.ForEach(c => c.Dispose());
        }

        Assert.Equal(Repo.FixtureItems, _server.Requests);
        Assert.All(_server.PerPrompt, p => Assert.Equal(1, p.Value));

        // 2. The merge; then the unsharded evaluation on the same store is answered entirely by the shards' answers.
        var merged = await Workspace.RunInProcessAsync(["merge", "--out", _ws.At("merged"), .. Enumerable.Range(0, Shards).Select(i => _ws.At($"shard-{i}"))]);
        Assert.True(merged.ExitCode == 0, merged.ToString());
        _server.ResetCounters();
        var whole = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "whole", store: database.ConnectionString, concurrency: 2));
        Assert.True(whole.ExitCode == 0, whole.ToString());
        Assert.Equal(0, _server.Requests);
        Assert.Equal(Repo.FixtureItems, RunFolder.Accounting(RunFolder.Results(_ws.At("whole")), "cache_hits"));

        // 3. Identical results; the shards' and the whole run's records are all finished in the one store.
        ShardProcessTests.AssertSameEvaluation(_ws.At("whole"), _ws.At("merged"));
        Assert.Equal(RunFolder.Items(_ws.At("whole")).Select(i => i.ToJsonString()), RunFolder.Items(_ws.At("merged")).Select(i => i.ToJsonString()));
        Assert.Equal(Shards + 1L, database.Scalar("SELECT count(*) FROM runs WHERE status = 'finished'"));
        Assert.Equal((long)Repo.FixtureItems, database.Scalar("SELECT count(*) FROM responses"));

        // 4. The four processes wrote into one registry run, each into its own rows; merged from the store alone (no
        //    shard folder), it is the folder merge byte for byte.
        var runId = ShardProcessTests.ShardedRunId(_ws.At("shard-0"));
        Assert.Equal((long)Shards, database.Scalar($"SELECT count(*) FROM registry_shards WHERE run_id = '{runId}' AND status = 'finished'"));
        Assert.Equal((long)Repo.FixtureItems, database.Scalar($"SELECT count(DISTINCT (suite, item_id)) FROM registry_shard_items WHERE run_id = '{runId}'"));
        Assert.Equal((long)Repo.FixtureItems, database.Scalar($"SELECT count(*) FROM registry_shard_items WHERE run_id = '{runId}'"));
        foreach (var i in Enumerable.Range(0, Shards))
        {
            Directory.Move(_ws.At($"shard-{i}"), _ws.At($"gone-{i}"));
        }

        var fromStore = await Workspace.RunInProcessAsync(["merge", "--store", database.ConnectionString, "--run", runId, "--out", _ws.At("merged-from-store")]);
        Assert.True(fromStore.ExitCode == 0, fromStore.ToString());
        ShardProcessTests.AssertSameFiles(_ws.At("merged"), _ws.At("merged-from-store"));
        ShardProcessTests.AssertSameEvaluation(_ws.At("whole"), _ws.At("merged-from-store"));
        var listed = await Workspace.RunInProcessAsync(["runs", "list", "--store", database.ConnectionString, "--json"]);
        var sharded = System.Text.Json.Nodes.JsonNode.Parse(listed.Stdout)!.AsArray().Single(r => r!["run_id"]!.GetValue<string>() == runId)!;
        Assert.Equal($$"""{"count":{{Shards}},"finished":{{Shards}},"merged":true}""", sharded["shards"]!.ToJsonString());
        Assert.Empty(_ws.FilesContaining(database.Password));
        Assert.Empty(_ws.FilesContaining(_ws.Key));
    }

    [PostgresFact]
    public async Task A_shard_killed_on_PostgreSQL_and_resumed_is_recorded_once_and_the_store_merge_names_a_missing_shard_then_passes_audit()
    {
        using var database = new Database();
        const int answeredBeforeKill = 3;
        const int concurrency = 2;
        List<string> ShardArgs(int index) => _ws.RunArgs(_server, $"shard-{index}", store: database.ConnectionString, concurrency: concurrency, extra: ["--shard", $"{index}/2"]);
        var environment = new Dictionary<string, string> { [_ws.KeyEnv] = _ws.Key };

        // 1. Shard 1/2 as a process; the server answers 3 requests and holds the rest; kill it hard once both are held.
        _server.Hold(r => r.Number > answeredBeforeKill);
        using (var child = CliProcess.Start(ShardArgs(1), _ws.Dir, environment, CliOwnBuild()))
        {
            var exited = child.WaitForExitAsync();
            var held = _server.WaitUntilAsync(s => s.Held == concurrency && s.Answered == answeredBeforeKill, $"{answeredBeforeKill} answered and {concurrency} held");
            if (await Task.WhenAny(held, exited) != held)
            {
                Assert.Fail($"the shard ended before it could be killed (exit {child.ExitCode})\n{child.Stdout}\n{child.Stderr}");
            }

            await held;
            child.KillHard();
        }

        await _server.WaitUntilAsync(s => s.InFlight == 0, "the killed shard's requests ended");
        _server.ReleaseHeld();
        var runId = (string)database.Scalar("SELECT DISTINCT run_id FROM registry_shards")!;
        Assert.Equal("running", database.Scalar($"SELECT status FROM registry_shards WHERE run_id = '{runId}' AND shard_index = 1"));

        // 2. Resumed as the Job's retry would (--resume --overwrite), as a process.
        using (var resumed = CliProcess.Start([.. ShardArgs(1), "--resume", "--overwrite"], _ws.Dir, environment, CliOwnBuild()))
        {
            await resumed.WaitForExitAsync();
            Assert.True(resumed.ExitCode == 0, $"exit {resumed.ExitCode}\n{resumed.Stdout}\n{resumed.Stderr}");
        }

        var shardItems = RunFolder.Items(_ws.At("shard-1")).Count;
        Assert.True(RunFolder.Results(_ws.At("shard-1"))["manifest"]!["resumed"]!.GetValue<bool>());
        Assert.Equal("finished", database.Scalar($"SELECT status FROM registry_shards WHERE run_id = '{runId}' AND shard_index = 1"));
        Assert.Equal((long)shardItems, database.Scalar($"SELECT count(*) FROM registry_shard_items WHERE run_id = '{runId}'"));
        Assert.Equal((long)shardItems, database.Scalar($"SELECT count(DISTINCT (suite, item_id)) FROM registry_shard_items WHERE run_id = '{runId}'"));

        // 3. The store merge names the shard that has not run, and how many planned items it holds; nothing is written.
        var early = await Workspace.RunInProcessAsync(["merge", "--store", database.ConnectionString, "--run", runId, "--out", _ws.At("merged")]);
        Assert.True(early.ExitCode == 2, early.ToString());
        Assert.Contains($"shard 0/2 (not started, {Repo.FixtureItems - shardItems} planned item(s))", early.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_ws.At("merged")));

        // 4. Shard 0, the merge from the store, the unsharded run for reference; gate, sign-off and audit.
        var zero = await Workspace.RunInProcessAsync(ShardArgs(0));
        Assert.True(zero.ExitCode == 0, zero.ToString());
        var merged = await Workspace.RunInProcessAsync(["merge", "--store", database.ConnectionString, "--run", runId, "--out", _ws.At("merged")]);
        Assert.True(merged.ExitCode == 0, merged.ToString());
        var whole = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "whole", store: _ws.At("whole-store/store.db"), concurrency: concurrency));
        Assert.True(whole.ExitCode == 0, whole.ToString());
        ShardProcessTests.AssertSameEvaluation(_ws.At("whole"), _ws.At("merged"));
        Assert.Equal(runId, RunFolder.Results(_ws.At("merged"))["manifest"]!["run_id"]!.GetValue<string>());

        var policy = _ws.At("policy.yaml");
        File.WriteAllText(policy, "name: release\nrequired_roles: [clinical_reviewer]\ncriteria:\n  - name: has_items\n    path: suites.medqa.counts.items\n    operator: \">\"\n    threshold: 0\n");
        var gate = await Workspace.RunInProcessAsync(["gate", "--run", _ws.At("merged"), "--policy", policy, "--store", database.ConnectionString]);
        Assert.True(gate.ExitCode == 4, gate.ToString());
        var sign = await Workspace.RunInProcessAsync(["signoff", "--run", _ws.At("merged"), "--as", "Dr Ada Lovelace", "--role", "clinical_reviewer", "--decision", "approve", "--comment", "Merged from the store.", "--store", database.ConnectionString]);
        Assert.True(sign.ExitCode == 0, sign.ToString());
        var audit = await Workspace.RunInProcessAsync(["audit", "verify", "--store", database.ConnectionString, "--run", _ws.At("merged")]);
        Assert.True(audit.ExitCode == 0, audit.ToString());
        Assert.Contains("audit trail intact: 1 record(s) checked", audit.Stdout, StringComparison.Ordinal);
        Assert.Empty(_ws.FilesContaining(database.Password));
        Assert.Empty(_ws.FilesContaining(_ws.Key));
    }

    /// <summary>
    /// The CLI from its own build output. The copy beside these tests lacks Microsoft.Extensions.Logging.Abstractions
    /// (which Npgsql needs): this project's ASP.NET Core framework reference provides it in-process, so the build
    /// does not copy it, but `dotnet validationlab.dll` runs on the base framework only and cannot load it.
    /// </summary>
    private static string CliOwnBuild()
    {
        var config = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        var own = Path.Combine(Repo.Root, "harness", "ValidationLab.Cli", "bin", config, "net10.0", "validationlab.dll");
        return File.Exists(own) ? own : throw new FileNotFoundException("the CLI's own build output is missing (build harness/ValidationLab.Cli)", own);
    }

    /// <summary>A fresh database on the test server, dropped (with its connections) at the end.</summary>
    private sealed class Database : IDisposable
    {
        private readonly string _admin = TestPostgres.ConnectionString ?? throw new InvalidOperationException(TestPostgres.FailureMessage);
        private readonly string _name = "vl_shard_" + Guid.NewGuid().ToString("N")[..16];

        public Database()
        {
            Execute(_admin, $"CREATE DATABASE {_name}");
            ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _name }.ConnectionString;
        }

        public string ConnectionString { get; }

        public string Password => new NpgsqlConnectionStringBuilder(_admin).Password ?? throw new InvalidOperationException("the test server has no password");

        public object? Scalar(string sql)
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            return command.ExecuteScalar();
        }

        public void Dispose()
        {
            NpgsqlConnection.ClearAllPools();
            Execute(_admin, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
        }

        private static void Execute(string connectionString, string sql)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }
    }
}
