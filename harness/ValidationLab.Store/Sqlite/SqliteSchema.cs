using System.Globalization;
using Microsoft.Data.Sqlite;
using ValidationLab.Errors;

namespace ValidationLab.Store.Sqlite;

/// <summary>
/// The SQLite schema as numbered migrations (<see cref="StoreSchema"/>), applied by <see cref="SqliteRunStore.Open"/>
/// before any statement is prepared, in one transaction with the new <c>user_version</c>: a store is at one version or
/// the next, never between.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Migration i (1-based) takes a store from version i - 1 to version i.</summary>
    private static readonly string[] Migrations =
    [
        // 1: response cache, runs, and which answers each run used.
        """
        CREATE TABLE IF NOT EXISTS responses (
            cache_key TEXT NOT NULL PRIMARY KEY,
            runner TEXT NOT NULL,
            model TEXT NOT NULL,
            source TEXT,
            fingerprint TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT,
            loglikelihoods BLOB,
            probability REAL,
            latency_ms REAL NOT NULL,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            cost TEXT,
            method TEXT,
            created_utc TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS runs (
            run_id TEXT NOT NULL PRIMARY KEY,
            config_sha256 TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
            started_utc TEXT NOT NULL,
            finished_utc TEXT,
            resume_count INTEGER NOT NULL DEFAULT 0,
            last_resumed_utc TEXT
        );
        CREATE INDEX IF NOT EXISTS runs_by_config ON runs (config_sha256, status, started_utc);
        CREATE TABLE IF NOT EXISTS run_responses (
            run_id TEXT NOT NULL REFERENCES runs (run_id),
            suite TEXT NOT NULL,
            item_id TEXT NOT NULL,
            request_id TEXT NOT NULL,
            cache_key TEXT NOT NULL,
            PRIMARY KEY (run_id, suite, item_id, request_id)
        );
        """,

        // 2: the append-only sign-off table (SqliteRunRegistry.Signoffs.cs).
        SqliteRunRegistry.SignoffsDdl,

        // 3: the run registry (SqliteRunRegistry.Results.cs). (The responses table keeps its rowid: rebuilt WITHOUT ROWID
        // it took twice the CPU per answer in cache-put-quick, its ~0.3 KB rows splitting the clustered B-tree's pages.)
        """
        CREATE TABLE registry_runs (
            run_id TEXT NOT NULL PRIMARY KEY,
            model TEXT NOT NULL,
            runner TEXT NOT NULL,
            seed INTEGER NOT NULL,
            started_utc TEXT NOT NULL,
            finished_utc TEXT NOT NULL,
            config_sha256 TEXT NOT NULL,
            harness_commit TEXT,
            promoted INTEGER NOT NULL DEFAULT 0,
            item_count INTEGER NOT NULL,
            recorded_utc TEXT NOT NULL
        );
        CREATE INDEX registry_runs_by_start ON registry_runs (started_utc);
        CREATE INDEX registry_runs_by_model ON registry_runs (model, started_utc);
        CREATE TABLE registry_run_suites (
            run_id TEXT NOT NULL REFERENCES registry_runs (run_id),
            position INTEGER NOT NULL,
            suite TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX registry_run_suites_by_suite ON registry_run_suites (suite, run_id);
        CREATE TABLE registry_metrics (
            run_id TEXT NOT NULL REFERENCES registry_runs (run_id),
            position INTEGER NOT NULL,
            suite TEXT NOT NULL,
            metric TEXT NOT NULL,
            value REAL,
            lower REAL,
            upper REAL,
            n INTEGER NOT NULL,
            clusters INTEGER,
            PRIMARY KEY (run_id, position)
        ) WITHOUT ROWID;
        CREATE TABLE registry_items (
            run_id TEXT NOT NULL REFERENCES registry_runs (run_id),
            position INTEGER NOT NULL,
            suite TEXT NOT NULL,
            item_id TEXT NOT NULL,
            status TEXT NOT NULL,
            correct INTEGER,
            score REAL,
            label INTEGER,
            cluster TEXT,
            json TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        ) WITHOUT ROWID;
        CREATE TABLE registry_files (
            run_id TEXT NOT NULL REFERENCES registry_runs (run_id),
            name TEXT NOT NULL,
            length INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            bytes BLOB NOT NULL,
            PRIMARY KEY (run_id, name)
        );
        CREATE TABLE registry_comparisons (
            id INTEGER PRIMARY KEY,
            candidate_run_id TEXT NOT NULL,
            baseline_run_id TEXT NOT NULL,
            compared_utc TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            json BLOB NOT NULL
        );
        CREATE INDEX registry_comparisons_by_candidate ON registry_comparisons (candidate_run_id);
        CREATE INDEX registry_comparisons_by_baseline ON registry_comparisons (baseline_run_id);
        CREATE TABLE registry_gate_verdicts (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL,
            evaluated_utc TEXT NOT NULL,
            verdict TEXT NOT NULL,
            promotable INTEGER NOT NULL,
            policy_sha256 TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            json BLOB NOT NULL
        );
        CREATE INDEX registry_gate_verdicts_by_run ON registry_gate_verdicts (run_id);
        """,

        // 4: sharded runs. Each shard's rows are keyed by its index, so shards recording at once never touch each
        // other's rows and a retried shard replaces only its own; an item is unique in the run, so overlapping shards
        // are refused by the store itself.
        """
        CREATE TABLE registry_shards (
            run_id TEXT NOT NULL,
            shard_index INTEGER NOT NULL,
            shard_count INTEGER NOT NULL,
            evaluation_sha256 TEXT NOT NULL,
            shard_run_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
            started_utc TEXT NOT NULL,
            finished_utc TEXT,
            item_count INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (run_id, shard_index)
        ) WITHOUT ROWID;
        CREATE TABLE registry_shard_items (
            run_id TEXT NOT NULL,
            shard_index INTEGER NOT NULL,
            position INTEGER NOT NULL,
            suite TEXT NOT NULL,
            item_id TEXT NOT NULL,
            status TEXT NOT NULL,
            correct INTEGER,
            score REAL,
            label INTEGER,
            cluster TEXT,
            json TEXT NOT NULL,
            PRIMARY KEY (run_id, shard_index, position)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX registry_shard_items_unique ON registry_shard_items (run_id, suite, item_id);
        CREATE TABLE registry_shard_files (
            run_id TEXT NOT NULL,
            shard_index INTEGER NOT NULL,
            name TEXT NOT NULL,
            length INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            bytes BLOB NOT NULL,
            PRIMARY KEY (run_id, shard_index, name)
        );
        """,

        // 5: run files as chunks (one blob stops at 1 GB); the file rows keep name, length and SHA-256, and an empty
        // bytes column. Version 4 files move into chunk 0 as they are (a chunk may be of any size).
        """
        CREATE TABLE registry_file_chunks (
            run_id TEXT NOT NULL,
            name TEXT NOT NULL,
            seq INTEGER NOT NULL,
            bytes BLOB NOT NULL,
            PRIMARY KEY (run_id, name, seq)
        );
        CREATE TABLE registry_shard_file_chunks (
            run_id TEXT NOT NULL,
            shard_index INTEGER NOT NULL,
            name TEXT NOT NULL,
            seq INTEGER NOT NULL,
            bytes BLOB NOT NULL,
            PRIMARY KEY (run_id, shard_index, name, seq)
        );
        INSERT INTO registry_file_chunks (run_id, name, seq, bytes)
            SELECT run_id, name, 0, bytes FROM registry_files WHERE length(bytes) > 0;
        INSERT INTO registry_shard_file_chunks (run_id, shard_index, name, seq, bytes)
            SELECT run_id, shard_index, name, 0, bytes FROM registry_shard_files WHERE length(bytes) > 0;
        UPDATE registry_files SET bytes = x'';
        UPDATE registry_shard_files SET bytes = x'';
        """,
    ];

    /// <summary>The migrations' count is the schema version this code writes.</summary>
    public static int Latest => Migrations.Length;

    /// <summary>Reads the store's version, refuses a newer one, and applies the missing migrations in one transaction.</summary>
    public static void Migrate(SqliteConnection connection, string path)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > Latest)
        {
            throw StoreSchema.TooNew(version, path);
        }

        if (version == Latest)
        {
            return;
        }

        // BEGIN IMMEDIATE: two processes opening one old store at once migrate it once (the second sees the new version).
        using var tx = connection.BeginTransaction(deferred: false);
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "PRAGMA user_version";
        version = Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > Latest)
        {
            throw StoreSchema.TooNew(version, path);
        }

        for (var v = version + 1; v <= Latest; v++)
        {
            cmd.CommandText = Migrations[v - 1];
            cmd.ExecuteNonQuery();
        }

        cmd.CommandText = $"PRAGMA user_version = {Latest.ToString(CultureInfo.InvariantCulture)}";
        cmd.ExecuteNonQuery();
        tx.Commit();
    }
}
