using Microsoft.Data.Sqlite;
using ValidationLab.Cli;

namespace ValidationLab.Store.Tests;

/// <summary>
/// `validationlab run --store` as the user meets it: a PostgreSQL store named by a connection string; and every way
/// the store can be wrong (malformed, unreachable, refused credentials, newer than the code) is one clear message and
/// exit 2 before any model call, never showing the password.
/// </summary>
public sealed class StoreCommandLineTests : IAsyncLifetime
{
    private const int FixtureItems = 43;
    private const string Secret = "pw-DO-NOT-PRINT-5c1d";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vl-store-cli-" + Guid.NewGuid().ToString("N"));
    private readonly string _keyEnv = "VL_STORE_CLI_KEY_" + Guid.NewGuid().ToString("N")[..8];
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        Environment.SetEnvironmentVariable(_keyEnv, "sk-test-store-cli");
        _server = await FakeOpenAIServer.StartAsync();
        _server.ChatReply = FakeOpenAIServer.MultipleChoiceReply;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Environment.SetEnvironmentVariable(_keyEnv, null);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string[] RunArgs(string store, string outName) =>
    [
        "run", "--suite", "medqa", "--data", Path.Combine(TestRepository.Root, "fixtures", "medqa", "medqa-fixture.jsonl"),
        "--runner", "openai", "--runner-option", $"base_url={_server.BaseUrl}", "--runner-option", "model=store-cli-model",
        "--runner-option", $"api_key_env={_keyEnv}", "--runner-option", "max_concurrency=4",
        "--store", store, "--out", Path.Combine(_dir, outName),
    ];

    private static async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApplication.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Exit 2, one "error:" line naming the store and saying <paramref name="says"/>, no password, no request, no results.</summary>
    private void AssertRefusedBeforeAnyModelCall((int Code, string Out, string Err) result, string outName, string names, string says, string? password)
    {
        var all = result.Out + result.Err;
        Assert.True(result.Code == ExitCodes.BadInput, $"exit {result.Code}\n{all}");
        var line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(names, line, StringComparison.Ordinal);
        Assert.Contains(says, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal); // no stack trace
        if (password is not null)
        {
            Assert.DoesNotContain(password, all, StringComparison.Ordinal);
        }

        Assert.Equal(0, _server.Requests);
        Assert.False(Directory.Exists(Path.Combine(_dir, outName)));
    }

    [Fact]
    public async Task A_malformed_connection_string_is_refused_before_any_model_call()
    {
        var result = await Cli(RunArgs($"Host=127.0.0.1;Port=not-a-port;Username=vl;Password={Secret}", "out"));
        AssertRefusedBeforeAnyModelCall(result, "out", "--store", "connection string is malformed", Secret);
    }

    [Fact]
    public async Task An_unreachable_server_is_refused_naming_host_port_database_and_user_but_not_the_password()
    {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        var result = await Cli(RunArgs($"postgresql://evaluator:{Secret}@127.0.0.1:1/registry?timeout=5", "out"));
        AssertRefusedBeforeAnyModelCall(result, "out", "postgres://evaluator@127.0.0.1:1/registry", "cannot reach the server", Secret);
    }

    [PostgresFact]
    public async Task Wrong_credentials_are_refused_without_showing_either_password()
    {
        using var db = new PostgresTestDatabase();
        var wrong = new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { Password = Secret }.ConnectionString;
        var result = await Cli(RunArgs(wrong, "out"));
        AssertRefusedBeforeAnyModelCall(result, "out", $"postgres://validationlab@127.0.0.1:", "refused the credentials", Secret);
        Assert.DoesNotContain(db.Password, result.Out + result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_written_by_a_newer_schema_is_refused_with_both_versions()
    {
        var path = Path.Combine(_dir, "store.db");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA user_version = 42";
            cmd.ExecuteNonQuery();
        }

        var result = await Cli(RunArgs(path, "out"));
        AssertRefusedBeforeAnyModelCall(result, "out", path, $"schema version 42; this ValidationLab reads schema versions up to {StoreSchema.Current}", null);
    }

    [PostgresFact]
    public async Task A_run_on_a_postgres_store_is_cached_there_and_a_rerun_asks_nothing()
    {
        using var db = new PostgresTestDatabase();
        var first = await Cli(RunArgs(db.Uri, "first"));
        Assert.True(first.Code == ExitCodes.Success, first.Out + first.Err);
        Assert.Equal(FixtureItems, _server.Requests);
        Assert.DoesNotContain(db.Password, first.Out + first.Err, StringComparison.Ordinal);

        _server.ResetCounters();
        var second = await Cli(RunArgs(db.ConnectionString, "second"));
        Assert.True(second.Code == ExitCodes.Success, second.Out + second.Err);
        Assert.Equal(0, _server.Requests);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(_dir, "first", "items.jsonl")),
            File.ReadAllBytes(Path.Combine(_dir, "second", "items.jsonl")));

        using var store = StoreFactory.Open(db.ConnectionString);
        Assert.Equal(FixtureItems, store.Responses.CachedResponseCount);
    }

    [PostgresFact]
    public async Task A_store_lost_mid_run_stops_asking_the_model_spools_the_answers_in_flight_and_resume_asks_nothing_twice()
    {
        using var db = new PostgresTestDatabase();
        var direct = new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString);
        await using var proxy = new LoopbackTcpProxy(direct.Port);
        var viaProxy = new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { Port = proxy.Port }.ConnectionString;

        // The endpoint answers 20 requests, then holds the next four (the run's concurrency); with all four held the
        // store's server goes away, and the four answers arrive after it.
        _server.Hold(r => r.Number > 20);
        var running = Cli(RunArgs(viaProxy, "out"));
        await _server.WaitUntilAsync(s => s.Held == 4, "four requests held");
        proxy.Cut();
        _server.ReleaseHeld();
        var lost = await running;

        var all = lost.Out + lost.Err;
        var spool = Path.Combine(_dir, "out", ResponseSpool.FolderName);
        Assert.True(lost.Code == ExitCodes.RunFailed, $"exit {lost.Code}\n{all}");
        Assert.Contains($"the run store postgres://validationlab@127.0.0.1:{proxy.Port}/{db.Name} is unavailable", lost.Err, StringComparison.Ordinal);
        Assert.Contains("--resume", lost.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(db.Password, all, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.Equal(24, _server.Requests); // nothing was asked once the store was gone

        // The answers that could not be stored (the four held ones, and any earlier one whose commit the cut caught)
        // are in the spool beside the results, for this store only.
        var files = Directory.GetFiles(spool).Select(f => ResponseSpool.Read(f)).ToList();
        var spooled = files.Sum(s => s.Keys.Count);
        // Normally all four; fewer when a connection the proxy accepted as it cut survives the cut and commits some.
        Assert.True(spooled is >= 1 and <= 24, $"{spooled} spooled\n{all}");
        Assert.Contains($"the {spooled} answer{(spooled == 1 ? "" : "s")} that arrived after it are kept in {spool}", lost.Err, StringComparison.Ordinal);
        Assert.All(files, s => Assert.Equal($"postgres://validationlab@127.0.0.1:{proxy.Port}/{db.Name}", s.Store));

        long stored;
        using (var store = StoreFactory.Open(db.ConnectionString))
        {
            stored = store.Responses.CachedResponseCount;
            var run = Assert.Single(new[] { store.Registry.FindUnfinishedRun(ConfigSha(Path.Combine(_dir, "out"))) });
            Assert.NotNull(run); // left unfinished, so --resume continues it
        }

        Assert.Equal(24, stored + spooled); // every answer received is kept, in the store or in the spool

        // The store is back: --resume first writes the spooled answers, then asks only what was never answered, and
        // the run completes; --overwrite replaced the run files and the spool is gone once drained.
        proxy.Restore();
        _server.ResetCounters();
        var resumed = await Cli([.. RunArgs(viaProxy, "out"), "--resume", "--overwrite"]);
        Assert.True(resumed.Code == ExitCodes.Success, resumed.Out + resumed.Err);
        Assert.Contains($"wrote {spooled} answer{(spooled == 1 ? "" : "s")} spooled while the run store was unavailable", resumed.Err, StringComparison.Ordinal);
        Assert.Equal(FixtureItems - 24, _server.Requests);
        Assert.False(Directory.Exists(spool));
        var items = File.ReadAllLines(Path.Combine(_dir, "out", "items.jsonl"));
        Assert.Equal(FixtureItems, items.Length);
        Assert.All(items, line => Assert.Contains("\"status\":\"scored\"", line, StringComparison.Ordinal));
        using var after = StoreFactory.Open(db.ConnectionString);
        Assert.Equal(FixtureItems, after.Responses.CachedResponseCount);
    }

    /// <summary>The config SHA-256 a run folder's manifest records (what resume looks runs up by).</summary>
    private static string ConfigSha(string runFolder) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(runFolder, "results.json")))!["manifest"]!["config_sha256"]!.GetValue<string>();
}
