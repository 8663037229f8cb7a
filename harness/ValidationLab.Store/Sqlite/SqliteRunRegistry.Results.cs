using Microsoft.Data.Sqlite;

namespace ValidationLab.Store.Sqlite;

// SqliteRunRegistry: registered results (schema version 3): facts, suites, metrics, items and files of finished runs,
// comparisons and gate verdicts.
internal sealed partial class SqliteRunRegistry
{
    /// <inheritdoc />
    public void RecordResults(RunRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var run = registration.Run;
        ArgumentException.ThrowIfNullOrWhiteSpace(run.RunId);
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var tx = db.Connection.BeginTransaction(deferred: false);
            foreach (var table in new[] { "registry_run_suites", "registry_metrics", "registry_items", "registry_files", "registry_file_chunks" })
            {
                using var delete = db.Command($"DELETE FROM {table} WHERE run_id = $a", tx, run.RunId);
                delete.ExecuteNonQuery();
            }

            using (var upsert = db.Command("""
                INSERT INTO registry_runs (run_id, model, runner, seed, started_utc, finished_utc, config_sha256, harness_commit, promoted, item_count, recorded_utc)
                VALUES ($a, $b, $c, $d, $e, $f, $g, $h, $i, $j, $k)
                ON CONFLICT (run_id) DO UPDATE SET model = excluded.model, runner = excluded.runner, seed = excluded.seed,
                    started_utc = excluded.started_utc, finished_utc = excluded.finished_utc, config_sha256 = excluded.config_sha256,
                    harness_commit = excluded.harness_commit, promoted = excluded.promoted, item_count = excluded.item_count,
                    recorded_utc = excluded.recorded_utc
                """, tx, run.RunId, run.Model, run.Runner, run.Seed, StoreTime.Format(run.StartedUtc), StoreTime.Format(run.FinishedUtc),
                run.ConfigSha256, run.HarnessCommit, run.Promoted ? 1 : 0, registration.Items.Count, StoreTime.Format(DateTimeOffset.UtcNow)))
            {
                upsert.ExecuteNonQuery();
            }

            InsertAll(tx, "INSERT INTO registry_run_suites (run_id, position, suite) VALUES ($a, $b, $c)",
                run.Suites, (s, i) => [run.RunId, i, s]);
            InsertAll(tx, "INSERT INTO registry_metrics (run_id, position, suite, metric, value, lower, upper, n, clusters) VALUES ($a, $b, $c, $d, $e, $f, $g, $h, $i)",
                registration.Metrics, (m, i) => [run.RunId, i, m.Suite, m.Metric, m.Value, m.Lower, m.Upper, m.N, m.Clusters]);
            InsertAll(tx, "INSERT INTO registry_items (run_id, position, suite, item_id, status, correct, score, label, cluster, json) VALUES ($a, $b, $c, $d, $e, $f, $g, $h, $i, $j)",
                registration.Items, (t, i) => [run.RunId, i, t.Suite, t.ItemId, t.Status, Bit(t.Correct), t.Score, Bit(t.Label), t.Cluster, t.Json]);
            InsertAll(tx, "INSERT INTO registry_files (run_id, name, length, sha256, bytes) VALUES ($a, $b, $c, $d, x'')",
                registration.Files, (f, _) => [run.RunId, f.Name, f.Length, f.Sha256]);
            InsertAll(tx, "INSERT INTO registry_file_chunks (run_id, name, seq, bytes) VALUES ($a, $b, $c, $d)",
                Chunks(registration.Files), (c, _) => [run.RunId, c.Name, c.Seq, c.Bytes]);
            tx.Commit();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<RunSummary> ListRuns(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var cmd = db.Command("""
                SELECT r.run_id, r.model, r.runner, r.seed, r.started_utc, r.finished_utc, r.config_sha256, r.harness_commit, r.promoted, r.item_count,
                    (SELECT g.verdict FROM registry_gate_verdicts g WHERE g.run_id = r.run_id ORDER BY g.id DESC LIMIT 1),
                    (SELECT max(s.shard_count) FROM registry_shards s WHERE s.run_id = r.run_id),
                    (SELECT count(*) FROM registry_shards s WHERE s.run_id = r.run_id AND s.status = 'finished'),
                    EXISTS (SELECT 1 FROM registry_files f WHERE f.run_id = r.run_id),
                    (SELECT count(*) FROM registry_shard_items i WHERE i.run_id = r.run_id)
                FROM registry_runs r
                WHERE ($a IS NULL OR EXISTS (SELECT 1 FROM registry_run_suites s WHERE s.run_id = r.run_id AND s.suite = $a))
                  AND ($b IS NULL OR r.model = $b)
                  AND ($c IS NULL OR r.started_utc >= $c)
                  AND ($d IS NULL OR r.started_utc < $d)
                  AND ($e IS NULL OR r.promoted = $e)
                ORDER BY r.started_utc DESC, r.run_id DESC
                LIMIT $f
                """, null, query.Suite, query.Model, query.Since is { } since ? StoreTime.Format(since) : null,
                query.Until is { } until ? StoreTime.Format(until) : null, Bit(query.Promoted), query.Limit ?? -1);
            var rows = new List<RunSummary>();
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    // A sharded run not merged yet counts the items its shards recorded so far.
                    var shards = r.IsDBNull(11) ? null : new ShardProgress(r.GetInt32(11), r.GetInt32(12), r.GetInt64(13) != 0);
                    var items = shards is { Merged: false } ? r.GetInt32(14) : r.GetInt32(9);
                    rows.Add(new RunSummary(Facts(r, []), items, r.IsDBNull(10) ? null : r.GetString(10)) { Shards = shards });
                }
            }

            return rows.Select(x => x with { Facts = x.Facts with { Suites = SuitesLocked(x.Facts.RunId) } }).ToList();
        }
    }

    /// <inheritdoc />
    public RunDetail? GetRunDetail(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var tx = db.Connection.BeginTransaction(deferred: true); // one snapshot for all the reads
            RunFacts facts;
            using (var cmd = db.Command("SELECT run_id, model, runner, seed, started_utc, finished_utc, config_sha256, harness_commit, promoted FROM registry_runs WHERE run_id = $a", tx, runId))
            using (var r = cmd.ExecuteReader())
            {
                if (!r.Read())
                {
                    return null;
                }

                facts = Facts(r, []);
            }

            var detail = new RunDetail
            {
                Facts = facts with { Suites = SuitesLocked(runId, tx) },
                Metrics = Read(tx, "SELECT suite, metric, value, lower, upper, n, clusters FROM registry_metrics WHERE run_id = $a ORDER BY position", runId,
                    r => new MetricRow(r.GetString(0), r.GetString(1), NullableDouble(r, 2), NullableDouble(r, 3), NullableDouble(r, 4), r.GetInt32(5), r.IsDBNull(6) ? null : r.GetInt32(6))),
                Items = Read(tx, "SELECT suite, item_id, status, correct, score, label, cluster, json FROM registry_items WHERE run_id = $a ORDER BY position", runId,
                    r => new ItemRow(r.GetString(0), r.GetString(1), r.GetString(2), NullableBool(r, 3), NullableDouble(r, 4), NullableBool(r, 5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7))),
                Files = Read(tx, "SELECT name, length, sha256 FROM registry_files WHERE run_id = $a", runId,
                    r => new RunFileInfo(r.GetString(0), r.GetInt64(1), r.GetString(2))).OrderBy(f => f.Name, StringComparer.Ordinal).ToList(),
                Comparisons = Read(tx, "SELECT candidate_run_id, baseline_run_id, compared_utc, json FROM registry_comparisons WHERE candidate_run_id = $a OR baseline_run_id = $a ORDER BY id", runId,
                    r => new ComparisonRecord(r.GetString(0), r.GetString(1), StoreTime.Parse(r.GetString(2)), (byte[])r.GetValue(3))),
                GateVerdicts = Read(tx, "SELECT run_id, evaluated_utc, verdict, promotable, policy_sha256, json FROM registry_gate_verdicts WHERE run_id = $a ORDER BY id", runId,
                    r => new GateVerdictRecord(r.GetString(0), StoreTime.Parse(r.GetString(1)), r.GetString(2), r.GetInt64(3) != 0, r.GetString(4), (byte[])r.GetValue(5))),
                           Shards = ReadShardsLocked(runId, tx),
            };
            tx.Commit();
            return detail;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<RunFile> ReadRunFiles(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            return Read(null, "SELECT name, length, sha256 FROM registry_files WHERE run_id = $a", runId,
                r => RunFile.Stored(r.GetString(0), r.GetInt64(1), r.GetString(2), ChunkReader("SELECT bytes FROM registry_file_chunks WHERE run_id = $a AND name = $b AND seq = $c", runId, r.GetString(0))))
                .OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        }
    }

    /// <inheritdoc />
    public void RecordComparison(ComparisonRecord comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        Write("INSERT INTO registry_comparisons (candidate_run_id, baseline_run_id, compared_utc, sha256, json) VALUES ($a, $b, $c, $d, $e)",
            comparison.CandidateRunId, comparison.BaselineRunId, StoreTime.Format(comparison.ComparedUtc), comparison.Sha256, comparison.ComparisonJson);
    }

    /// <inheritdoc />
    public void RecordGateVerdict(GateVerdictRecord verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        Write("INSERT INTO registry_gate_verdicts (run_id, evaluated_utc, verdict, promotable, policy_sha256, sha256, json) VALUES ($a, $b, $c, $d, $e, $f, $g)",
            verdict.RunId, StoreTime.Format(verdict.EvaluatedUtc), verdict.Verdict, verdict.Promotable ? 1 : 0, verdict.PolicySha256, verdict.Sha256, verdict.GateJson);
    }

    /// <inheritdoc />
    public void SetPromoted(string runId, bool promoted)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (Write("UPDATE registry_runs SET promoted = $b WHERE run_id = $a", runId, promoted ? 1 : 0) != 1)
        {
            throw new InvalidOperationException($"no registered run '{runId}' in the store");
        }
    }

    private int Write(string sql, params object?[] args)
    {
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var cmd = db.Command(sql, null, args);
            return cmd.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// One prepared command, its parameters rebound per row (Microsoft.Data.Sqlite reuses the statement); the rows are
    /// enumerated once, so a lazily read sequence is inserted one row at a time.
    /// </summary>
    /// <summary>Every file's chunks in order, read one at a time and verified against the file's hash at its end.</summary>
    private static IEnumerable<(string Name, int Seq, byte[] Bytes)> Chunks(IEnumerable<RunFile> files) =>
        files.SelectMany(f => f.VerifiedChunks().Select((bytes, seq) => (f.Name, seq, bytes)));

    /// <summary>
    /// Reads a stored file's chunks on demand, one query (under the connection's lock) per chunk, so export never holds
    /// more than one chunk; <paramref name="sql"/> takes the key and then the chunk number as its last parameter.
    /// </summary>
    private Func<IEnumerable<byte[]>> ChunkReader(string sql, params object?[] key) => () => ReadChunks(sql, key);

    private IEnumerable<byte[]> ReadChunks(string sql, object?[] key)
    {
        for (var seq = 0; ; seq++)
        {
            byte[]? chunk;
            lock (db.Gate)
            {
                db.ThrowIfDisposed();
                using var cmd = db.Command(sql, null, [.. key, seq]);
                chunk = cmd.ExecuteScalar() as byte[];
            }

            if (chunk is null)
            {
                yield break;
            }

            yield return chunk;
        }
    }

    private void InsertAll<T>(SqliteTransaction tx, string sql, IEnumerable<T> rows, Func<T, int, object?[]> values)
    {
        using var e = rows.GetEnumerator();
        if (!e.MoveNext())
        {
            return;
        }

        using var cmd = db.Command(sql, tx, values(e.Current, 0));
        cmd.Prepare();
        cmd.ExecuteNonQuery();
        for (var i = 1; e.MoveNext(); i++)
        {
            var v = values(e.Current, i);
            for (var k = 0; k < v.Length; k++)
            {
                cmd.Parameters[k].Value = v[k] ?? DBNull.Value;
            }

            cmd.ExecuteNonQuery();
        }
    }

    private List<T> Read<T>(SqliteTransaction? tx, string sql, string runId, Func<SqliteDataReader, T> map)
    {
        using var cmd = db.Command(sql, tx, runId);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read())
        {
            list.Add(map(r));
        }

        return list;
    }

    private List<string> SuitesLocked(string runId, SqliteTransaction? tx = null) =>
        Read(tx, "SELECT suite FROM registry_run_suites WHERE run_id = $a ORDER BY position", runId, r => r.GetString(0));

    /// <summary>The facts from columns 0-8 (run_id ... promoted), suites given separately.</summary>
    private static RunFacts Facts(SqliteDataReader r, IReadOnlyList<string> suites) => new()
    {
        RunId = r.GetString(0),
        Suites = suites,
        Model = r.GetString(1),
        Runner = r.GetString(2),
        Seed = r.GetInt32(3),
        StartedUtc = StoreTime.Parse(r.GetString(4)),
        FinishedUtc = StoreTime.Parse(r.GetString(5)),
        ConfigSha256 = r.GetString(6),
        HarnessCommit = r.IsDBNull(7) ? null : r.GetString(7),
        Promoted = r.GetInt64(8) != 0,
    };

    private static object? Bit(bool? b) => b is { } v ? (v ? 1 : 0) : null;

    private static double? NullableDouble(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static bool? NullableBool(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i) != 0;
}
