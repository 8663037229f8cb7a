using Npgsql;
using NpgsqlTypes;

namespace ValidationLab.Store.Postgres;

// PostgresRunRegistry: registered results (schema version 3). A run's rows go in by binary COPY inside one transaction
// (a 50,000-item run is one statement per table, not 50,000), so its cost stays near that of the COPY alone.
internal sealed partial class PostgresRunRegistry
{
    private const string FactsColumns = "run_id, model, runner, seed, started_utc, finished_utc, config_sha256, harness_commit, promoted";

    /// <inheritdoc />
    public void RecordResults(RunRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var run = registration.Run;
        ArgumentException.ThrowIfNullOrWhiteSpace(run.RunId);
        InTransaction((c, tx) =>
        {
            // Re-recording one run from two processes at once: the second waits, then replaces the first's rows.
            Lock(c, tx, ResumeLock, "registry:" + run.RunId);
            foreach (var table in new[] { "registry_run_suites", "registry_metrics", "registry_items", "registry_files", "registry_file_chunks" })
            {
                Execute(c, tx, $"DELETE FROM {table} WHERE run_id = $1", run.RunId);
            }

            Execute(c, tx, $"""
                INSERT INTO registry_runs ({FactsColumns}, item_count, recorded_utc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (run_id) DO UPDATE SET model = excluded.model, runner = excluded.runner, seed = excluded.seed,
                    started_utc = excluded.started_utc, finished_utc = excluded.finished_utc, config_sha256 = excluded.config_sha256,
                    harness_commit = excluded.harness_commit, promoted = excluded.promoted, item_count = excluded.item_count,
                    recorded_utc = excluded.recorded_utc
                """, run.RunId, run.Model, run.Runner, run.Seed, StoreTime.Normalize(run.StartedUtc), StoreTime.Normalize(run.FinishedUtc),
                run.ConfigSha256, run.HarnessCommit, run.Promoted, registration.Items.Count, StoreTime.Normalize(DateTimeOffset.UtcNow));

            Copy(c, "registry_run_suites (run_id, position, suite)", run.Suites, (w, s, i) =>
            {
                w.Write(run.RunId, NpgsqlDbType.Text);
                w.Write(i, NpgsqlDbType.Integer);
                w.Write(s, NpgsqlDbType.Text);
            });
            Copy(c, "registry_metrics (run_id, position, suite, metric, value, lower, upper, n, clusters)", registration.Metrics, (w, m, i) =>
            {
                w.Write(run.RunId, NpgsqlDbType.Text);
                w.Write(i, NpgsqlDbType.Integer);
                w.Write(m.Suite, NpgsqlDbType.Text);
                w.Write(m.Metric, NpgsqlDbType.Text);
                Nullable(w, m.Value, NpgsqlDbType.Double);
                Nullable(w, m.Lower, NpgsqlDbType.Double);
                Nullable(w, m.Upper, NpgsqlDbType.Double);
                w.Write(m.N, NpgsqlDbType.Integer);
                Nullable(w, m.Clusters, NpgsqlDbType.Integer);
            });
            CopyItems(c, run.RunId, registration.Items);
            CopyFiles(c, run.RunId, registration.Files);
            return true;
        });
    }

    /// <summary>
    /// A run's files by binary COPY: one row per file (name, length, SHA-256; its bytes column left empty) and the
    /// file's bytes as chunks; with <paramref name="shardIndex"/>, into the shard tables, which have that column after
    /// the run id.
    /// </summary>
    internal static void CopyFiles(NpgsqlConnection c, string runId, IReadOnlyList<RunFile> files, int? shardIndex = null)
    {
        var prefix = shardIndex is null ? "registry" : "registry_shard";
        var shardColumn = shardIndex is null ? "" : "shard_index, ";
        Copy(c, $"{prefix}_files (run_id, {shardColumn}name, length, sha256, bytes)", files, (w, f, _) =>
        {
            WriteKey(w, runId, shardIndex);
            w.Write(f.Name, NpgsqlDbType.Text);
            w.Write(f.Length, NpgsqlDbType.Bigint);
            w.Write(f.Sha256, NpgsqlDbType.Text);
            w.Write(Array.Empty<byte>(), NpgsqlDbType.Bytea);
        });
        Copy(c, $"{prefix}_file_chunks (run_id, {shardColumn}name, seq, bytes)", Chunks(files), (w, f, _) =>
        {
            WriteKey(w, runId, shardIndex);
            w.Write(f.Name, NpgsqlDbType.Text);
            w.Write(f.Seq, NpgsqlDbType.Integer);
            w.Write(f.Bytes, NpgsqlDbType.Bytea);
        });
    }

    private static void WriteKey(NpgsqlBinaryImporter w, string runId, int? shardIndex)
    {
        w.Write(runId, NpgsqlDbType.Text);
        if (shardIndex is { } index)
        {
            w.Write(index, NpgsqlDbType.Integer);
        }
    }

    /// <summary>
    /// The item rows by binary COPY (also what the benchmark's floor does, so the two write the same bytes); with
    /// <paramref name="shardIndex"/>, a shard's rows into <c>registry_shard_items</c>, which has that column after the run id.
    /// </summary>
    internal static void CopyItems(NpgsqlConnection c, string runId, IEnumerable<ItemRow> items, string table = "registry_items", int? shardIndex = null) =>
        Copy(c, $"{table} (run_id, {(shardIndex is null ? "" : "shard_index, ")}position, suite, item_id, status, correct, score, label, cluster, json)", items, (w, t, i) =>
        {
            WriteKey(w, runId, shardIndex);
            w.Write(i, NpgsqlDbType.Integer);
            w.Write(t.Suite, NpgsqlDbType.Text);
            w.Write(t.ItemId, NpgsqlDbType.Text);
            w.Write(t.Status, NpgsqlDbType.Text);
            Nullable(w, t.Correct, NpgsqlDbType.Boolean);
            Nullable(w, t.Score, NpgsqlDbType.Double);
            Nullable(w, t.Label, NpgsqlDbType.Boolean);
            if (t.Cluster is null)
            {
                w.WriteNull();
            }
            else
            {
                w.Write(t.Cluster, NpgsqlDbType.Text);
            }

            w.Write(t.Json, NpgsqlDbType.Text);
        });

    /// <inheritdoc />
    public IReadOnlyList<RunSummary> ListRuns(RunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return WithConnection(c =>
        {
            using var cmd = Command(c, null, $"""
                SELECT {Prefixed("r.", FactsColumns)}, r.item_count,
                    (SELECT g.verdict FROM registry_gate_verdicts g WHERE g.run_id = r.run_id ORDER BY g.id DESC LIMIT 1),
                    ARRAY(SELECT s.suite FROM registry_run_suites s WHERE s.run_id = r.run_id ORDER BY s.position),
                    (SELECT max(s.shard_count) FROM registry_shards s WHERE s.run_id = r.run_id),
                    (SELECT count(*)::integer FROM registry_shards s WHERE s.run_id = r.run_id AND s.status = 'finished'),
                    EXISTS (SELECT 1 FROM registry_files f WHERE f.run_id = r.run_id),
                    (SELECT count(*)::integer FROM registry_shard_items i WHERE i.run_id = r.run_id)
                FROM registry_runs r
                WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM registry_run_suites s WHERE s.run_id = r.run_id AND s.suite = $1::text))
                  AND ($2::text IS NULL OR r.model = $2::text)
                  AND ($3::timestamptz IS NULL OR r.started_utc >= $3::timestamptz)
                  AND ($4::timestamptz IS NULL OR r.started_utc < $4::timestamptz)
                  AND ($5::boolean IS NULL OR r.promoted = $5::boolean)
                ORDER BY r.started_utc DESC, r.run_id DESC
                LIMIT $6::integer
                """);
            cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)query.Suite ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)query.Model ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = query.Since is { } since ? StoreTime.Normalize(since) : DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = query.Until is { } until ? StoreTime.Normalize(until) : DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Boolean, Value = (object?)query.Promoted ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)query.Limit ?? DBNull.Value });
            using var r = cmd.ExecuteReader();
            var list = new List<RunSummary>();
            while (r.Read())
            {
                // A sharded run not merged yet counts the items its shards recorded so far.
                var shards = r.IsDBNull(12) ? null : new ShardProgress(r.GetInt32(12), r.GetInt32(13), r.GetBoolean(14));
                var items = shards is { Merged: false } ? r.GetInt32(15) : r.GetInt32(9);
                list.Add(new RunSummary(Facts(r, r.GetFieldValue<string[]>(11)), items, r.IsDBNull(10) ? null : r.GetString(10)) { Shards = shards });
            }

            return (IReadOnlyList<RunSummary>)list;
        });
    }

    /// <inheritdoc />
    public RunDetail? GetRunDetail(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnection(c =>
        {
            // One snapshot for all the reads: a concurrent re-record is seen whole or not at all.
            using var tx = c.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            RunFacts facts;
            using (var cmd = Command(c, tx, $"SELECT {FactsColumns}, ARRAY(SELECT suite FROM registry_run_suites s WHERE s.run_id = $1 ORDER BY s.position) FROM registry_runs WHERE run_id = $1", runId))
            using (var r = cmd.ExecuteReader())
            {
                if (!r.Read())
                {
                    return null;
                }

                facts = Facts(r, r.GetFieldValue<string[]>(9));
            }

            return new RunDetail
            {
                Facts = facts,
                Metrics = Read(c, tx, "SELECT suite, metric, value, lower, upper, n, clusters FROM registry_metrics WHERE run_id = $1 ORDER BY position", runId,
                    r => new MetricRow(r.GetString(0), r.GetString(1), NullableDouble(r, 2), NullableDouble(r, 3), NullableDouble(r, 4), r.GetInt32(5), r.IsDBNull(6) ? null : r.GetInt32(6))),
                Items = Read(c, tx, "SELECT suite, item_id, status, correct, score, label, cluster, json FROM registry_items WHERE run_id = $1 ORDER BY position", runId,
                    r => new ItemRow(r.GetString(0), r.GetString(1), r.GetString(2), NullableBool(r, 3), NullableDouble(r, 4), NullableBool(r, 5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7))),
                Files = Read(c, tx, "SELECT name, length, sha256 FROM registry_files WHERE run_id = $1", runId,
                    r => new RunFileInfo(r.GetString(0), r.GetInt64(1), r.GetString(2))).OrderBy(f => f.Name, StringComparer.Ordinal).ToList(),
                Comparisons = Read(c, tx, "SELECT candidate_run_id, baseline_run_id, compared_utc, json FROM registry_comparisons WHERE candidate_run_id = $1 OR baseline_run_id = $1 ORDER BY id", runId,
                    r => new ComparisonRecord(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<byte[]>(3))),
                GateVerdicts = Read(c, tx, "SELECT run_id, evaluated_utc, verdict, promotable, policy_sha256, json FROM registry_gate_verdicts WHERE run_id = $1 ORDER BY id", runId,
                    r => new GateVerdictRecord(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetBoolean(3), r.GetString(4), r.GetFieldValue<byte[]>(5))),
                           Shards = ReadShards(c, tx, runId),
            };
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<RunFile> ReadRunFiles(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnection(c => (IReadOnlyList<RunFile>)Read(c, null, "SELECT name, length, sha256 FROM registry_files WHERE run_id = $1", runId,
            r => RunFile.Stored(r.GetString(0), r.GetInt64(1), r.GetString(2),
                ChunkReader("SELECT bytes FROM registry_file_chunks WHERE run_id = $1 AND name = $2 AND seq = $3", runId, r.GetString(0))))
            .OrderBy(f => f.Name, StringComparer.Ordinal).ToList());
    }

    /// <inheritdoc />
    public void RecordComparison(ComparisonRecord comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        WithConnection(c => Execute(c, null, "INSERT INTO registry_comparisons (candidate_run_id, baseline_run_id, compared_utc, sha256, json) VALUES ($1, $2, $3, $4, $5)",
            comparison.CandidateRunId, comparison.BaselineRunId, StoreTime.Normalize(comparison.ComparedUtc), comparison.Sha256, comparison.ComparisonJson));
    }

    /// <inheritdoc />
    public void RecordGateVerdict(GateVerdictRecord verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        WithConnection(c => Execute(c, null, "INSERT INTO registry_gate_verdicts (run_id, evaluated_utc, verdict, promotable, policy_sha256, sha256, json) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            verdict.RunId, StoreTime.Normalize(verdict.EvaluatedUtc), verdict.Verdict, verdict.Promotable, verdict.PolicySha256, verdict.Sha256, verdict.GateJson));
    }

    /// <inheritdoc />
    public void SetPromoted(string runId, bool promoted)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (WithConnection(c => Execute(c, null, "UPDATE registry_runs SET promoted = $2 WHERE run_id = $1", runId, promoted)) != 1)
        {
            throw new InvalidOperationException($"no registered run '{runId}' in the store");
        }
    }

    /// <summary>Every file's chunks in order, read one at a time and verified against the file's hash at its end.</summary>
    private static IEnumerable<(string Name, int Seq, byte[] Bytes)> Chunks(IEnumerable<RunFile> files) =>
        files.SelectMany(f => f.VerifiedChunks().Select((bytes, seq) => (f.Name, seq, bytes)));

    /// <summary>
    /// Reads a stored file's chunks on demand, one query per chunk, so export never holds more than one chunk;
    /// <paramref name="sql"/> takes the key and then the chunk number as its last parameter.
    /// </summary>
    private Func<IEnumerable<byte[]>> ChunkReader(string sql, params object?[] key) => () => ReadChunks(sql, key);

    private IEnumerable<byte[]> ReadChunks(string sql, object?[] key)
    {
        for (var seq = 0; ; seq++)
        {
            var chunk = WithConnection(c =>
            {
                using var cmd = Command(c, null, sql, [.. key, seq]);
                return cmd.ExecuteScalar() as byte[];
            });
            if (chunk is null)
            {
                yield break;
            }

            yield return chunk;
        }
    }

    /// <summary>The rows by binary COPY, enumerated once (a lazily read sequence goes in one row at a time).</summary>
    private static void Copy<T>(NpgsqlConnection c, string target, IEnumerable<T> rows, Action<NpgsqlBinaryImporter, T, int> write)
    {
        using var e = rows.GetEnumerator();
        if (!e.MoveNext())
        {
            return;
        }

        using var importer = c.BeginBinaryImport($"COPY {target} FROM STDIN (FORMAT BINARY)");
        var i = 0;
        do
        {
            importer.StartRow();
            write(importer, e.Current, i++);
        }
        while (e.MoveNext());

        importer.Complete();
    }

    private static void Nullable<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            w.Write(v, type);
        }
        else
        {
            w.WriteNull();
        }
    }

    private static List<T> Read<T>(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, string runId, Func<NpgsqlDataReader, T> map)
    {
        using var cmd = Command(c, tx, sql, runId);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read())
        {
            list.Add(map(r));
        }

        return list;
    }

    private static RunFacts Facts(NpgsqlDataReader r, IReadOnlyList<string> suites) => new()
    {
        RunId = r.GetString(0),
        Suites = suites,
        Model = r.GetString(1),
        Runner = r.GetString(2),
        Seed = r.GetInt32(3),
        StartedUtc = r.GetFieldValue<DateTimeOffset>(4),
        FinishedUtc = r.GetFieldValue<DateTimeOffset>(5),
        ConfigSha256 = r.GetString(6),
        HarnessCommit = r.IsDBNull(7) ? null : r.GetString(7),
        Promoted = r.GetBoolean(8),
    };

    private static string Prefixed(string prefix, string columns) => string.Join(", ", columns.Split(", ").Select(c => prefix + c));

    private static double? NullableDouble(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);

    private static bool? NullableBool(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetBoolean(i);
}
