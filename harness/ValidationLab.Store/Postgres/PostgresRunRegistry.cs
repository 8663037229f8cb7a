using Npgsql;

namespace ValidationLab.Store.Postgres;

/// <summary>
/// The PostgreSQL run registry: run records for resume (this file), registered results (.Results.cs) and sign-offs
/// (.Signoffs.cs). Each call takes a pooled connection; writes that read first (resume, sign-off chains) hold an
/// advisory transaction lock, so processes on different machines never interleave them.
/// </summary>
internal sealed partial class PostgresRunRegistry(NpgsqlDataSource dataSource, string description) : IRunRegistry
{
    /// <summary>Advisory lock namespaces (the first key of pg_advisory_xact_lock(int, int)).</summary>
    private const int ResumeLock = 0x766C7275; // "vlru"
    private const int SignoffLock = 0x766C7369; // "vlsi"

    /// <inheritdoc />
    public string BeginRun(string configSha256, bool resume)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configSha256);
        return InTransaction((c, tx) =>
        {
            Lock(c, tx, ResumeLock, configSha256);
            if (resume && FindUnfinished(c, tx, configSha256) is { } existing)
            {
                Execute(c, tx, "UPDATE runs SET resume_count = resume_count + 1, last_resumed_utc = $1 WHERE run_id = $2", StoreTime.Now(), existing);
                return existing;
            }

            var id = StoreTime.NewRunId();
            Execute(c, tx, "INSERT INTO runs (run_id, config_sha256, status, started_utc) VALUES ($1, $2, 'running', $3)", id, configSha256, StoreTime.Now());
            return id;
        });
    }

    /// <inheritdoc />
    public string? FindUnfinishedRun(string configSha256)
    {
        ArgumentNullException.ThrowIfNull(configSha256);
        return WithConnection(c => FindUnfinished(c, null, configSha256));
    }

    /// <inheritdoc />
    public void FinishRun(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var changed = WithConnection(c => Execute(c, null, "UPDATE runs SET status = 'finished', finished_utc = $1 WHERE run_id = $2", StoreTime.Now(), runId));
        if (changed != 1)
        {
            throw new InvalidOperationException($"no run '{runId}' in the store");
        }
    }

    /// <inheritdoc />
    public RunRecord? GetRun(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnection(c =>
        {
            using var cmd = Command(c, null, "SELECT run_id, config_sha256, status, started_utc, finished_utc, resume_count FROM runs WHERE run_id = $1", runId);
            using var r = cmd.ExecuteReader();
            return r.Read()
                ? new RunRecord(r.GetString(0), r.GetString(1), r.GetString(2) == "finished", StoreTime.Parse(r.GetString(3)),
                    r.IsDBNull(4) ? null : StoreTime.Parse(r.GetString(4)), r.GetInt32(5))
                : null;
        });
    }

    private static string? FindUnfinished(NpgsqlConnection c, NpgsqlTransaction? tx, string configSha256)
    {
        // started_utc is round-trip text of UTC instants (same width), so text order is time order; the run id breaks ties.
        using var cmd = Command(c, tx, "SELECT run_id FROM runs WHERE config_sha256 = $1 AND status = 'running' ORDER BY started_utc DESC, run_id DESC LIMIT 1", configSha256);
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>Waits for the advisory transaction lock (<paramref name="space"/>, hash of <paramref name="name"/>).</summary>
    private static void Lock(NpgsqlConnection c, NpgsqlTransaction tx, int space, string name)
    {
        using var cmd = Command(c, tx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", space, name);
        cmd.ExecuteNonQuery();
    }

    private static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, params object?[] args)
    {
        var cmd = new NpgsqlCommand(sql, c, tx);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a ?? DBNull.Value });
        }

        return cmd;
    }

    private static int Execute(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, params object?[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        return cmd.ExecuteNonQuery();
    }

    private T WithConnection<T>(Func<NpgsqlConnection, T> action) => PostgresErrors.Use(() =>
    {
        using var c = dataSource.OpenConnection();
        return action(c);
    }, description);

    /// <summary>Runs <paramref name="action"/> in a transaction, committed when it returns (rolled back when it throws).</summary>
    private T InTransaction<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> action) => WithConnection(c =>
    {
        using var tx = c.BeginTransaction();
        var result = action(c, tx);
        tx.Commit();
        return result;
    });
}
