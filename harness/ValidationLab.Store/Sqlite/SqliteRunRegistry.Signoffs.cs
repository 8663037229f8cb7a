using Microsoft.Data.Sqlite;

namespace ValidationLab.Store.Sqlite;

// SqliteRunRegistry: the append-only sign-off table (schema version 2). Rows are never updated or deleted by ValidationLab;
// triggers refuse it, so an edit needs deliberate SQL (and is then found by `validationlab audit verify`).
internal sealed partial class SqliteRunRegistry
{
    internal const string SignoffsDdl = """
        CREATE TABLE IF NOT EXISTS signoffs (
            run_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            signed_utc TEXT NOT NULL,
            signer TEXT NOT NULL,
            role TEXT NOT NULL,
            decision TEXT NOT NULL,
            meaning TEXT NOT NULL,
            comment TEXT NOT NULL,
            report_sha256 TEXT,
            results_sha256 TEXT NOT NULL,
            comparison_sha256 TEXT,
            gate_sha256 TEXT NOT NULL,
            policy_sha256 TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            record_hash TEXT NOT NULL,
            UNIQUE (run_id, seq)
        );
        CREATE TRIGGER IF NOT EXISTS signoffs_no_update BEFORE UPDATE ON signoffs
        BEGIN SELECT RAISE(ABORT, 'sign-off records are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS signoffs_no_delete BEFORE DELETE ON signoffs
        BEGIN SELECT RAISE(ABORT, 'sign-off records are append-only'); END;
        """;

    /// <inheritdoc />
    public SignoffRow AppendSignoff(string runId, Func<IReadOnlyList<SignoffRow>, SignoffRow> build, Action<SignoffRow>? beforeCommit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(build);
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var tx = db.Connection.BeginTransaction(deferred: false);
            var row = build(ReadSignoffsLocked(runId, tx));
            using var insert = db.Command("""
                INSERT INTO signoffs (run_id, seq, signed_utc, signer, role, decision, meaning, comment, report_sha256,
                    results_sha256, comparison_sha256, gate_sha256, policy_sha256, prev_hash, record_hash)
                VALUES ($a, $b, $c, $d, $e, $f, $g, $h, $i, $j, $k, $l, $m, $n, $o)
                """, tx, row.RunId, row.Seq, row.SignedUtc, row.Signer, row.Role, row.Decision, row.Meaning, row.Comment,
                (object?)row.ReportSha256 ?? DBNull.Value, row.ResultsSha256, (object?)row.ComparisonSha256 ?? DBNull.Value,
                row.GateSha256, row.PolicySha256, row.PrevHash, row.RecordHash);
            insert.ExecuteNonQuery();
            beforeCommit?.Invoke(row);
            tx.Commit();
            return row;
        }
    }

    /// <inheritdoc />
    public T ReadSignoffsConsistently<T>(string runId, Func<IReadOnlyList<SignoffRow>, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var tx = db.Connection.BeginTransaction(deferred: false);
            var result = read(ReadSignoffsLocked(runId, tx));
            tx.Rollback();
            return result;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<SignoffRow> ReadSignoffs(string runId)
    {
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            return ReadSignoffsLocked(runId, null);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> SignedRuns()
    {
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var cmd = db.Command("SELECT DISTINCT run_id FROM signoffs ORDER BY run_id", null);
            using var r = cmd.ExecuteReader();
            var runs = new List<string>();
            while (r.Read())
            {
                runs.Add(r.GetString(0));
            }

            return runs;
        }
    }

    private List<SignoffRow> ReadSignoffsLocked(string runId, SqliteTransaction? tx)
    {
        using var cmd = db.Command("""
            SELECT run_id, seq, signed_utc, signer, role, decision, meaning, comment, report_sha256, results_sha256,
                comparison_sha256, gate_sha256, policy_sha256, prev_hash, record_hash
            FROM signoffs WHERE run_id = $a ORDER BY rowid
            """, tx, runId);
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
