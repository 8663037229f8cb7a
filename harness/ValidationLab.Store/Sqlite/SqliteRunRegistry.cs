using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ValidationLab.Store.Sqlite;

/// <summary>
/// The SQLite run registry: run records for resume (this file), registered results (.Results.cs) and sign-offs
/// (.Signoffs.cs), through Microsoft.Data.Sqlite commands on the store's write connection. Every write is one
/// immediate transaction, so two processes sharing the file are serialised by SQLite's write lock.
/// </summary>
internal sealed partial class SqliteRunRegistry(SqliteWriteConnection db, string description) : IRunRegistry
{
    /// <inheritdoc />
    public string BeginRun(string configSha256, bool resume)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configSha256);
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var tx = db.Connection.BeginTransaction(deferred: false);
            if (resume && FindUnfinishedLocked(configSha256, tx) is { } existing)
            {
                using var bump = db.Command("UPDATE runs SET resume_count = resume_count + 1, last_resumed_utc = $a WHERE run_id = $b", tx, Now(), existing);
                bump.ExecuteNonQuery();
                tx.Commit();
                return existing;
            }

            var id = StoreTime.NewRunId();
            using var insert = db.Command("INSERT INTO runs (run_id, config_sha256, status, started_utc) VALUES ($a, $b, 'running', $c)", tx, id, configSha256, Now());
            insert.ExecuteNonQuery();
            tx.Commit();
            return id;
        }
    }

    /// <inheritdoc />
    public string? FindUnfinishedRun(string configSha256)
    {
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            return FindUnfinishedLocked(configSha256, null);
        }
    }

    /// <inheritdoc />
    public void FinishRun(string runId)
    {
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var cmd = db.Command("UPDATE runs SET status = 'finished', finished_utc = $a WHERE run_id = $b", null, Now(), runId);
            if (cmd.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"no run '{runId}' in the store");
            }
        }
    }

    /// <inheritdoc />
    public RunRecord? GetRun(string runId)
    {
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var cmd = db.Command("SELECT run_id, config_sha256, status, started_utc, finished_utc, resume_count FROM runs WHERE run_id = $a", null, runId);
            using var r = cmd.ExecuteReader();
            return r.Read()
                ? new RunRecord(r.GetString(0), r.GetString(1), r.GetString(2) == "finished",
                    DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture),
                    r.IsDBNull(4) ? null : DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture),
                    r.GetInt32(5))
                : null;
        }
    }

    private string? FindUnfinishedLocked(string configSha256, SqliteTransaction? tx)
    {
        using var cmd = db.Command("SELECT run_id FROM runs WHERE config_sha256 = $a AND status = 'running' ORDER BY started_utc DESC, rowid DESC LIMIT 1", tx, configSha256);
        return cmd.ExecuteScalar() as string;
    }

    private static string Now() => StoreTime.Now();
}
