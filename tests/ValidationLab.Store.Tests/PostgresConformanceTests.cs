using ValidationLab.Store.Postgres;

namespace ValidationLab.Store.Tests;

/// <summary>The conformance suite on PostgreSQL: a fresh database on the test server for every test.</summary>
[PostgresBackend]
public sealed class PostgresConformanceTests : StoreConformanceTests
{
    private readonly PostgresTestDatabase? _db = TestPostgres.ConnectionString is null ? null : new PostgresTestDatabase();

    private PostgresTestDatabase Db => _db ?? throw new InvalidOperationException(TestPostgres.FailureMessage);

    protected override IRunStore Open() => StoreFactory.Open(Db.ConnectionString);

    protected override void Sql(string sql) => Db.Sql(sql);

    protected override object? Scalar(string sql) => Db.Scalar(sql);

    protected override int StoredSchemaVersion() => (int)Db.Scalar("SELECT max(version) FROM schema_version")!;

    protected override void SetSchemaVersion(int version) => Db.Sql($"UPDATE schema_version SET version = {version}");

    protected override void PoisonResponse(string key) => Db.Sql($"""
        CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.cache_key = '{key}' THEN RAISE EXCEPTION 'poisoned row'; END IF;
            RETURN NEW;
        END;
        $$;
        CREATE TRIGGER poison BEFORE INSERT ON responses FOR EACH ROW EXECUTE FUNCTION poison();
        """);

    /// <summary>A database at schema 1 or 2, with the same content as the SQLite test's old store.</summary>
    protected override void CreateOldStore(int version)
    {
        var key = CacheKeys.CacheKey(Identity, Request(1));
        Db.Sql($"""
            CREATE TABLE schema_version (version integer NOT NULL);
            CREATE TABLE responses (
                cache_key text NOT NULL PRIMARY KEY, runner text NOT NULL, model text NOT NULL, source text, fingerprint text NOT NULL,
                request_hash text NOT NULL, kind text NOT NULL, text text, loglikelihoods bytea, probability double precision,
                latency_ms double precision NOT NULL, prompt_tokens integer, completion_tokens integer, cost text, method text, created_utc text NOT NULL);
            CREATE TABLE runs (
                run_id text NOT NULL PRIMARY KEY, config_sha256 text NOT NULL, status text NOT NULL CHECK (status IN ('running', 'finished')),
                started_utc text NOT NULL, finished_utc text, resume_count integer NOT NULL DEFAULT 0, last_resumed_utc text);
            CREATE INDEX runs_by_config ON runs (config_sha256, status, started_utc);
            CREATE TABLE run_responses (
                run_id text NOT NULL REFERENCES runs (run_id), suite text NOT NULL, item_id text NOT NULL, request_id text NOT NULL,
                cache_key text NOT NULL, PRIMARY KEY (run_id, suite, item_id, request_id));
            INSERT INTO responses VALUES ('{key}', 'openai', 'm', 'http://x/v1', 'f', 'h', 'Generate', 'old answer', NULL, NULL, 5.0, 3, 2, NULL, NULL, '2026-11-01T00:00:00.0000000+00:00');
            INSERT INTO runs (run_id, config_sha256, status, started_utc) VALUES ('old-run', 'old-cfg', 'running', '2026-11-01T00:00:00.0000000+00:00');
            INSERT INTO run_responses VALUES ('old-run', 's', 'i1', '', '{key}');
            INSERT INTO schema_version VALUES (1);
            """);
        if (version == 2)
        {
            Db.Sql("""
                CREATE TABLE signoffs (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, run_id text NOT NULL, seq bigint NOT NULL, signed_utc text NOT NULL,
                    signer text NOT NULL, role text NOT NULL, decision text NOT NULL, meaning text NOT NULL, comment text NOT NULL,
                    report_sha256 text, results_sha256 text NOT NULL, comparison_sha256 text, gate_sha256 text NOT NULL,
                    policy_sha256 text NOT NULL, prev_hash text NOT NULL, record_hash text NOT NULL, UNIQUE (run_id, seq));
                CREATE FUNCTION signoffs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'sign-off records are append-only';
                END;
                $$;
                CREATE TRIGGER signoffs_no_update BEFORE UPDATE ON signoffs FOR EACH ROW EXECUTE FUNCTION signoffs_append_only();
                CREATE TRIGGER signoffs_no_delete BEFORE DELETE ON signoffs FOR EACH ROW EXECUTE FUNCTION signoffs_append_only();
                CREATE TRIGGER signoffs_no_truncate BEFORE TRUNCATE ON signoffs FOR EACH STATEMENT EXECUTE FUNCTION signoffs_append_only();
                INSERT INTO signoffs (run_id, seq, signed_utc, signer, role, decision, meaning, comment, report_sha256, results_sha256,
                    comparison_sha256, gate_sha256, policy_sha256, prev_hash, record_hash)
                VALUES ('old-run', 0, '2026-12-03T10:00:00Z', 'Dr Ada Lovelace', 'clinical_reviewer', 'approve', 'meaning', 'comment', NULL,
                    'results', NULL, 'gate', 'policy', 'genesis', 'hash-old-run-0');
                UPDATE schema_version SET version = 2;
                """);
        }
    }

    public override void Dispose()
    {
        _db?.Dispose();
        base.Dispose();
    }

    [PostgresFact]
    public void The_store_is_named_without_its_password_and_opens_from_a_uri_too()
    {
        using var store = Open();
        Assert.IsType<PostgresRunStore>(store);
        Assert.Equal($"postgres://validationlab@127.0.0.1:{new Npgsql.NpgsqlConnectionStringBuilder(Db.ConnectionString).Port}/{Db.Name}", store.Description);
        Assert.DoesNotContain(Db.Password, store.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(Db.Password, StoreSpec.Parse(Db.Uri, "/").ToString(), StringComparison.Ordinal);

        store.Registry.AppendSignoff("a", rows => Signoff("a", rows.Count, "genesis"));
        using var viaUri = StoreFactory.Open(Db.Uri);
        Assert.Equal(store.Description, viaUri.Description);
        Assert.Single(viaUri.Registry.ReadSignoffs("a"));
    }
}
