using Npgsql;

namespace ValidationLab.Store.Postgres;

// PostgresRunRegistry: the append-only sign-off table (schema version 2). Triggers refuse UPDATE, DELETE and TRUNCATE;
// an advisory lock per run serialises appenders in every process, so the chain never forks.
internal sealed partial class PostgresRunRegistry
{
    private const string SignoffColumns = "run_id, seq, signed_utc, signer, role, decision, meaning, comment, report_sha256, results_sha256, comparison_sha256, gate_sha256, policy_sha256, prev_hash, record_hash";

    /// <inheritdoc />
    public SignoffRow AppendSignoff(string runId, Func<IReadOnlyList<SignoffRow>, SignoffRow> build, Action<SignoffRow>? beforeCommit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(build);
        return InTransaction((c, tx) =>
        {
            Lock(c, tx, SignoffLock, runId);
            var row = build(ReadSignoffs(c, tx, runId));
            Execute(c, tx, $"INSERT INTO signoffs ({SignoffColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                row.RunId, row.Seq, row.SignedUtc, row.Signer, row.Role, row.Decision, row.Meaning, row.Comment, row.ReportSha256,
                row.ResultsSha256, row.ComparisonSha256, row.GateSha256, row.PolicySha256, row.PrevHash, row.RecordHash);
            beforeCommit?.Invoke(row);
            return row;
        });
    }

    /// <inheritdoc />
    public T ReadSignoffsConsistently<T>(string runId, Func<IReadOnlyList<SignoffRow>, T> read)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(read);
        return WithConnection(c =>
        {
            using var tx = c.BeginTransaction();
            Lock(c, tx, SignoffLock, runId);
            var result = read(ReadSignoffs(c, tx, runId));
            tx.Rollback();
            return result;
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<SignoffRow> ReadSignoffs(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnection(c => ReadSignoffs(c, null, runId));
    }

    /// <inheritdoc />
    public IReadOnlyList<string> SignedRuns() => WithConnection(c =>
    {
        using var cmd = Command(c, null, "SELECT DISTINCT run_id FROM signoffs");
        using var r = cmd.ExecuteReader();
        var runs = new List<string>();
        while (r.Read())
        {
            runs.Add(r.GetString(0));
        }

        runs.Sort(StringComparer.Ordinal);
        return (IReadOnlyList<string>)runs;
    });

    private static List<SignoffRow> ReadSignoffs(NpgsqlConnection c, NpgsqlTransaction? tx, string runId)
    {
        using var cmd = Command(c, tx, $"SELECT {SignoffColumns} FROM signoffs WHERE run_id = $1 ORDER BY id", runId);
        using var r = cmd.ExecuteReader();
        var rows = new List<SignoffRow>();
        while (r.Read())
        {
            string? N(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            rows.Add(new SignoffRow(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
                r.GetString(6), r.GetString(7), N(8), r.GetString(9), N(10), r.GetString(11), r.GetString(12), r.GetString(13), r.GetString(14)));
        }

        return rows;
    }
}
