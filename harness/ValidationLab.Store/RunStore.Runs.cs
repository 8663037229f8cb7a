using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace ValidationLab.Store;

// RunStore: run records (begin, resume, finish, read), through Microsoft.Data.Sqlite commands on the write connection.
public sealed partial class RunStore
{
    /// <summary>
    /// Starts a run of the config whose SHA-256 is <paramref name="configSha256"/> and returns its id. With
    /// <paramref name="resume"/>, the latest unfinished run of the same config is continued (same id) when there is
    /// one; otherwise a new run starts.
    /// </summary>
    public string BeginRun(string configSha256, bool resume)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configSha256);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var tx = _connection.BeginTransaction(deferred: false);
            if (resume && FindUnfinishedLocked(configSha256, tx) is { } existing)
            {
                using var bump = Command("UPDATE runs SET resume_count = resume_count + 1, last_resumed_utc = $a WHERE run_id = $b", tx, Now(), existing);
                bump.ExecuteNonQuery();
                tx.Commit();
                return existing;
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
            using var insert = Command("INSERT INTO runs (run_id, config_sha256, status, started_utc) VALUES ($a, $b, 'running', $c)", tx, id, configSha256, Now());
            insert.ExecuteNonQuery();
            tx.Commit();
            return id;
        }
    }

    /// <summary>The latest unfinished run of this config, if any (what <c>--resume</c> would continue).</summary>
    public string? FindUnfinishedRun(string configSha256)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return FindUnfinishedLocked(configSha256, null);
        }
    }

    /// <summary>Marks the run finished; a finished run is never resumed.</summary>
    public void FinishRun(string runId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var cmd = Command("UPDATE runs SET status = 'finished', finished_utc = $a WHERE run_id = $b", null, Now(), runId);
            if (cmd.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"no run '{runId}' in the store");
            }
        }
    }

    /// <summary>The run record, or null.</summary>
    public RunRecord? GetRun(string runId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var cmd = Command("SELECT run_id, config_sha256, status, started_utc, finished_utc, resume_count FROM runs WHERE run_id = $a", null, runId);
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
        using var cmd = Command("SELECT run_id FROM runs WHERE config_sha256 = $a AND status = 'running' ORDER BY started_utc DESC, rowid DESC LIMIT 1", tx, configSha256);
        return cmd.ExecuteScalar() as string;
    }

    private T Scalar<T>(string sql, params object[] args)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var cmd = Command(sql, null, args);
            return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx, params object[] args)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        for (var i = 0; i < args.Length; i++)
        {
            cmd.Parameters.AddWithValue("$" + (char)('a' + i), args[i]);
        }

        return cmd;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}
