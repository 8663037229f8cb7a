using System.Globalization;
using Microsoft.Data.Sqlite;
using ValidationLab.Errors;

namespace ValidationLab.Store;

// RunStore: the schema and its migration, applied by Open before any statement is prepared.
public sealed partial class RunStore
{
    private static void Migrate(SqliteConnection connection, string path)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > CodeSchemaVersion)
        {
            throw new InputException($"the run store has schema version {version}; this ValidationLab reads up to {CodeSchemaVersion} (upgrade ValidationLab or use another --store)", path);
        }

        if (version == CodeSchemaVersion)
        {
            return;
        }

        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;

        // Version 1: response cache, runs, and which answers each run used.
        cmd.CommandText = """
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
            """;
        cmd.ExecuteNonQuery();

        // Version 2: the append-only sign-off table (RunStore.Signoffs.cs).
        cmd.CommandText = SignoffsDdl + $"PRAGMA user_version = {CodeSchemaVersion};";
        cmd.ExecuteNonQuery();
        tx.Commit();
    }
}
