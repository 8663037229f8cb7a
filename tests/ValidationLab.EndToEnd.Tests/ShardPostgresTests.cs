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
