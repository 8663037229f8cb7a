using Npgsql;

namespace ValidationLab.Store.Postgres;

/// <summary>
/// The PostgreSQL schema: the same tables and version numbers as the SQLite one (<see cref="StoreSchema"/>), the
/// version kept in the one-row table <c>schema_version</c>. Migrations run in one transaction under an advisory lock,
/// so several processes opening one database at once migrate it once.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory lock key serialising migrations ("vlschema").</summary>
    private const long MigrationLock = 0x766C736368656D61;

    private static readonly string[] Migrations =
    [
        // 1: response cache, runs, and which answers each run used.
        """
        CREATE TABLE responses (
            cache_key text NOT NULL PRIMARY KEY,
            runner text NOT NULL,
            model text NOT NULL,
            source text,
            fingerprint text NOT NULL,
            request_hash text NOT NULL,
            kind text NOT NULL,
            text text,
            loglikelihoods bytea,
            probability double precision,
            latency_ms double precision NOT NULL,
            prompt_tokens integer,
            completion_tokens integer,
            cost text,
            method text,
            created_utc text NOT NULL
        );
        CREATE TABLE runs (
            run_id text NOT NULL PRIMARY KEY,
            config_sha256 text NOT NULL,
            status text NOT NULL CHECK (status IN ('running', 'finished')),
            started_utc text NOT NULL,
            finished_utc text,
            resume_count integer NOT NULL DEFAULT 0,
            last_resumed_utc text
        );
        CREATE INDEX runs_by_config ON runs (config_sha256, status, started_utc);
        CREATE TABLE run_responses (
            run_id text NOT NULL REFERENCES runs (run_id),
            suite text NOT NULL,
            item_id text NOT NULL,
            request_id text NOT NULL,
            cache_key text NOT NULL,
            PRIMARY KEY (run_id, suite, item_id, request_id)
        );
        """,

        // 2: the append-only sign-off table; the id keeps the append order, triggers refuse edits.
        """
        CREATE TABLE signoffs (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            run_id text NOT NULL,
            seq bigint NOT NULL,
            signed_utc text NOT NULL,
            signer text NOT NULL,
            role text NOT NULL,
            decision text NOT NULL,
            meaning text NOT NULL,
            comment text NOT NULL,
            report_sha256 text,
            results_sha256 text NOT NULL,
            comparison_sha256 text,
            gate_sha256 text NOT NULL,
            policy_sha256 text NOT NULL,
            prev_hash text NOT NULL,
            record_hash text NOT NULL,
            UNIQUE (run_id, seq)
        );
        CREATE FUNCTION signoffs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'sign-off records are append-only';
        END;
        $$;
        CREATE TRIGGER signoffs_no_update BEFORE UPDATE ON signoffs FOR EACH ROW EXECUTE FUNCTION signoffs_append_only();
        CREATE TRIGGER signoffs_no_delete BEFORE DELETE ON signoffs FOR EACH ROW EXECUTE FUNCTION signoffs_append_only();
        CREATE TRIGGER signoffs_no_truncate BEFORE TRUNCATE ON signoffs FOR EACH STATEMENT EXECUTE FUNCTION signoffs_append_only();
        """,

        // 3: the run registry.
        """
        CREATE TABLE registry_runs (
            run_id text NOT NULL PRIMARY KEY,
            model text NOT NULL,
            runner text NOT NULL,
            seed integer NOT NULL,
            started_utc timestamptz NOT NULL,
            finished_utc timestamptz NOT NULL,
            config_sha256 text NOT NULL,
            harness_commit text,
            promoted boolean NOT NULL DEFAULT false,
            item_count integer NOT NULL,
            recorded_utc timestamptz NOT NULL
        );
        CREATE INDEX registry_runs_by_start ON registry_runs (started_utc);
        CREATE INDEX registry_runs_by_model ON registry_runs (model, started_utc);
        CREATE TABLE registry_run_suites (
            run_id text NOT NULL REFERENCES registry_runs (run_id),
            position integer NOT NULL,
            suite text NOT NULL,
            PRIMARY KEY (run_id, position)
        );
        CREATE INDEX registry_run_suites_by_suite ON registry_run_suites (suite, run_id);
        CREATE TABLE registry_metrics (
            run_id text NOT NULL REFERENCES registry_runs (run_id),
            position integer NOT NULL,
            suite text NOT NULL,
            metric text NOT NULL,
            value double precision,
            lower double precision,
            upper double precision,
            n integer NOT NULL,
            clusters integer,
            PRIMARY KEY (run_id, position)
        );
        CREATE TABLE registry_items (
            run_id text NOT NULL REFERENCES registry_runs (run_id),
            position integer NOT NULL,
            suite text NOT NULL,
            item_id text NOT NULL,
            status text NOT NULL,
            correct boolean,
            score double precision,
            label boolean,
            cluster text,
            json text NOT NULL,
            PRIMARY KEY (run_id, position)
        );
        CREATE TABLE registry_files (
            run_id text NOT NULL REFERENCES registry_runs (run_id),
            name text NOT NULL,
            length bigint NOT NULL,
            sha256 text NOT NULL,
            bytes bytea NOT NULL,
            PRIMARY KEY (run_id, name)
        );
        CREATE TABLE registry_comparisons (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            candidate_run_id text NOT NULL,
            baseline_run_id text NOT NULL,
            compared_utc timestamptz NOT NULL,
            sha256 text NOT NULL,
            json bytea NOT NULL
        );
        CREATE INDEX registry_comparisons_by_candidate ON registry_comparisons (candidate_run_id);
        CREATE INDEX registry_comparisons_by_baseline ON registry_comparisons (baseline_run_id);
        CREATE TABLE registry_gate_verdicts (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            run_id text NOT NULL,
            evaluated_utc timestamptz NOT NULL,
            verdict text NOT NULL,
            promotable boolean NOT NULL,
            policy_sha256 text NOT NULL,
            sha256 text NOT NULL,
            json bytea NOT NULL
        );
        CREATE INDEX registry_gate_verdicts_by_run ON registry_gate_verdicts (run_id);
        """,

        // 4: sharded runs. Each shard's rows are keyed by its index, so shards recording at once never touch each
        // other's rows and a retried shard replaces only its own; an item is unique in the run, so overlapping shards
        // are refused by the store itself.
        """
        CREATE TABLE registry_shards (
            run_id text NOT NULL,
            shard_index integer NOT NULL,
            shard_count integer NOT NULL,
            evaluation_sha256 text NOT NULL,
            shard_run_id text NOT NULL,
            status text NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
            started_utc timestamptz NOT NULL,
            finished_utc timestamptz,
            item_count integer NOT NULL DEFAULT 0,
            PRIMARY KEY (run_id, shard_index)
        );
        CREATE TABLE registry_shard_items (
            run_id text NOT NULL,
            shard_index integer NOT NULL,
            position integer NOT NULL,
            suite text NOT NULL,
            item_id text NOT NULL,
            status text NOT NULL,
            correct boolean,
            score double precision,
            label boolean,
            cluster text,
            json text NOT NULL,
            PRIMARY KEY (run_id, shard_index, position)
        );
        CREATE UNIQUE INDEX registry_shard_items_unique ON registry_shard_items (run_id, suite, item_id);
        CREATE TABLE registry_shard_files (
            run_id text NOT NULL,
            shard_index integer NOT NULL,
            name text NOT NULL,
            length bigint NOT NULL,
            sha256 text NOT NULL,
            bytes bytea NOT NULL,
            PRIMARY KEY (run_id, shard_index, name)
        );
        """,

        // 5: run files as chunks (one bytea stops at 1 GB); the file rows keep name, length and SHA-256, and an empty
        // bytes column. Version 4 files move into chunk 0 as they are (a chunk may be of any size).
        """
        CREATE TABLE registry_file_chunks (
            run_id text NOT NULL,
            name text NOT NULL,
            seq integer NOT NULL,
            bytes bytea NOT NULL,
            PRIMARY KEY (run_id, name, seq)
        );
        CREATE TABLE registry_shard_file_chunks (
            run_id text NOT NULL,
            shard_index integer NOT NULL,
            name text NOT NULL,
            seq integer NOT NULL,
            bytes bytea NOT NULL,
            PRIMARY KEY (run_id, shard_index, name, seq)
        );
        INSERT INTO registry_file_chunks (run_id, name, seq, bytes)
            SELECT run_id, name, 0, bytes FROM registry_files WHERE length(bytes) > 0;
        INSERT INTO registry_shard_file_chunks (run_id, shard_index, name, seq, bytes)
            SELECT run_id, shard_index, name, 0, bytes FROM registry_shard_files WHERE length(bytes) > 0;
        UPDATE registry_files SET bytes = ''::bytea;
        UPDATE registry_shard_files SET bytes = ''::bytea;
        """,
    ];

    public static int Latest => Migrations.Length;

    /// <summary>Reads the version (0 for an empty database), refuses a newer one, applies the missing migrations.</summary>
    public static void Migrate(NpgsqlConnection connection, string description)
    {
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        Execute(connection, tx, "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)");
        int version;
        using (var read = new NpgsqlCommand("SELECT max(version) FROM schema_version", connection, tx))
        {
            version = read.ExecuteScalar() is int v ? v : 0;
        }

        if (version > Latest)
        {
            throw StoreSchema.TooNew(version, description);
        }

        for (var v = version + 1; v <= Latest; v++)
        {
            Execute(connection, tx, Migrations[v - 1]);
        }

        if (version != Latest)
        {
            Execute(connection, tx, $"DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({Latest})");
        }

        tx.Commit();
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, connection, tx);
        cmd.ExecuteNonQuery();
    }
}
