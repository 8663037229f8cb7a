using System.Globalization;
using Microsoft.Data.Sqlite;
using ValidationLab.Store.Sqlite;

namespace ValidationLab.Store.Tests;

/// <summary>The conformance suite on a SQLite file (the default store).</summary>
public sealed class SqliteConformanceTests : StoreConformanceTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vl-store-" + Guid.NewGuid().ToString("N"));

    private string StorePath => Path.Combine(_dir, ".validationlab", "store.db");

    protected override IRunStore Open() => StoreFactory.Open(StorePath);

    protected override void Sql(string sql)
    {
        using var c = Connection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    protected override object? Scalar(string sql)
    {
        using var c = Connection();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    protected override int StoredSchemaVersion() => Convert.ToInt32(Scalar("PRAGMA user_version"), CultureInfo.InvariantCulture);

    protected override void SetSchemaVersion(int version) => Sql($"PRAGMA user_version = {version}");

    protected override void PoisonResponse(string key) =>
        Sql($"CREATE TRIGGER poison BEFORE INSERT ON responses WHEN NEW.cache_key = '{key}' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END");

    /// <summary>The schema exactly as ValidationLab wrote it at versions 1 and 2 (RunStore.Schema.cs before schema 3).</summary>
    protected override void CreateOldStore(int version)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        var key = CacheKeys.CacheKey(Identity, Request(1));
        var sql = $"""
            PRAGMA journal_mode = WAL;
            CREATE TABLE responses (
                cache_key TEXT NOT NULL PRIMARY KEY, runner TEXT NOT NULL, model TEXT NOT NULL, source TEXT, fingerprint TEXT NOT NULL,
                request_hash TEXT NOT NULL, kind TEXT NOT NULL, text TEXT, loglikelihoods BLOB, probability REAL, latency_ms REAL NOT NULL,
                prompt_tokens INTEGER, completion_tokens INTEGER, cost TEXT, method TEXT, created_utc TEXT NOT NULL);
            CREATE TABLE runs (
                run_id TEXT NOT NULL PRIMARY KEY, config_sha256 TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
                started_utc TEXT NOT NULL, finished_utc TEXT, resume_count INTEGER NOT NULL DEFAULT 0, last_resumed_utc TEXT);
            CREATE INDEX runs_by_config ON runs (config_sha256, status, started_utc);
            CREATE TABLE run_responses (
                run_id TEXT NOT NULL REFERENCES runs (run_id), suite TEXT NOT NULL, item_id TEXT NOT NULL, request_id TEXT NOT NULL,
                cache_key TEXT NOT NULL, PRIMARY KEY (run_id, suite, item_id, request_id));
            INSERT INTO responses VALUES ('{key}', 'openai', 'm', 'http://x/v1', 'f', 'h', 'Generate', 'old answer', NULL, NULL, 5.0, 3, 2, NULL, NULL, '2026-11-01T00:00:00.0000000+00:00');
            INSERT INTO runs (run_id, config_sha256, status, started_utc) VALUES ('old-run', 'old-cfg', 'running', '2026-11-01T00:00:00.0000000+00:00');
            INSERT INTO run_responses VALUES ('old-run', 's', 'i1', '', '{key}');
            PRAGMA user_version = 1;
            """;
        if (version == 2)
        {
            sql += """
                CREATE TABLE signoffs (
                    run_id TEXT NOT NULL, seq INTEGER NOT NULL, signed_utc TEXT NOT NULL, signer TEXT NOT NULL, role TEXT NOT NULL,
                    decision TEXT NOT NULL, meaning TEXT NOT NULL, comment TEXT NOT NULL, report_sha256 TEXT, results_sha256 TEXT NOT NULL,
                    comparison_sha256 TEXT, gate_sha256 TEXT NOT NULL, policy_sha256 TEXT NOT NULL, prev_hash TEXT NOT NULL,
                    record_hash TEXT NOT NULL, UNIQUE (run_id, seq));
                CREATE TRIGGER signoffs_no_update BEFORE UPDATE ON signoffs BEGIN SELECT RAISE(ABORT, 'sign-off records are append-only'); END;
                CREATE TRIGGER signoffs_no_delete BEFORE DELETE ON signoffs BEGIN SELECT RAISE(ABORT, 'sign-off records are append-only'); END;
                INSERT INTO signoffs VALUES ('old-run', 0, '2026-12-03T10:00:00Z', 'Dr Ada Lovelace', 'clinical_reviewer', 'approve', 'meaning',
                    'comment', NULL, 'results', NULL, 'gate', 'policy', 'genesis', 'hash-old-run-0');
                PRAGMA user_version = 2;
                """;
        }

        Sql(sql);
    }

    protected override void AssertIntact() => Assert.Equal("ok", Scalar("PRAGMA integrity_check"));

    public override void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }

        base.Dispose();
    }

    [Fact]
    public void The_store_is_one_file_in_wal_mode_named_by_its_path()
    {
        using var store = Open();
        Assert.IsType<SqliteRunStore>(store);
        Assert.Equal(StorePath, store.Description);
        Assert.Equal("wal", Scalar("PRAGMA journal_mode"));
    }

    private SqliteConnection Connection()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        var c = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        c.Open();
        using var busy = c.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout = 10000";
        busy.ExecuteNonQuery();
        return c;
    }
}
