using Microsoft.Data.Sqlite;

namespace ValidationLab.Store.Sqlite;

// SqliteRunRegistry: sharded runs (schema version 4). Every write is one immediate transaction, so shards of one run
// recording from several processes are serialised by SQLite's write lock; each touches only its own shard's rows.
internal sealed partial class SqliteRunRegistry
{
    /// <inheritdoc />
    public void BeginShard(ShardStart start)
    {
        ShardRules.CheckStart(start);
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var tx = db.Connection.BeginTransaction(deferred: false);
            var shards = ReadShardsLocked(start.RunId, tx);
            if (shards.FirstOrDefault(s => s.EvaluationSha256 != start.EvaluationSha256) is { } other)
            {
                throw ShardRules.OtherEvaluation(start, other.EvaluationSha256, description);
            }

            var facts = start.Facts;
            var now = StoreTime.Format(DateTimeOffset.UtcNow);
            using (var run = db.Command("""
                INSERT INTO registry_runs (run_id, model, runner, seed, started_utc, finished_utc, config_sha256, harness_commit, promoted, item_count, recorded_utc)
                VALUES ($a, $b, $c, $d, $e, $e, $f, $g, 0, 0, $e) ON CONFLICT (run_id) DO NOTHING
                """, tx, start.RunId, facts.Model, facts.Runner, facts.Seed, now, start.EvaluationSha256, facts.HarnessCommit))
            {
                if (run.ExecuteNonQuery() == 1)
                {
                    InsertAll(tx, "INSERT INTO registry_run_suites (run_id, position, suite) VALUES ($a, $b, $c)", facts.Suites, (s, i) => [start.RunId, i, s]);
                }
            }

            using (var shard = db.Command("""
                INSERT INTO registry_shards (run_id, shard_index, shard_count, evaluation_sha256, shard_run_id, status, started_utc)
                VALUES ($a, $b, $c, $d, $e, 'running', $f)
                ON CONFLICT (run_id, shard_index) DO UPDATE SET status = 'running', started_utc = excluded.started_utc, finished_utc = NULL
                    WHERE registry_shards.shard_run_id = excluded.shard_run_id
                """, tx, start.RunId, start.Index, start.Count, start.EvaluationSha256, start.ShardRunId, now))
            {
                shard.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    /// <inheritdoc />
    public void RecordShard(ShardRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var tx = db.Connection.BeginTransaction(deferred: false);
            if (ReadShardsLocked(registration.RunId, tx).FirstOrDefault(x => x.Index == registration.Index) is not { } held)
            {
                throw new InvalidOperationException($"shard {registration.Index} of sharded run '{registration.RunId}' was not begun (BeginShard)");
            }

            // Another run of this shard recorded it before: replaced only with --overwrite, or when its results are ours.
            if (held.ShardRunId != registration.ShardRunId && !registration.Replace && held.ItemCount > 0
                && ShardRules.FirstDifference(ShardItemsLocked(registration.RunId, registration.Index, tx), registration.Items) is { } difference)
            {
                throw ShardRules.Differs(registration, held, difference, description);
            }

            foreach (var table in new[] { "registry_shard_items", "registry_shard_files", "registry_shard_file_chunks" })
            {
                using var delete = db.Command($"DELETE FROM {table} WHERE run_id = $a AND shard_index = $b", tx, registration.RunId, registration.Index);
                delete.ExecuteNonQuery();
            }

            // One row at a time: a conflict names the item and the shard that holds it (SQLite serialises writers, so
            // nothing can slip in between the insert and the look-up), and the rollback leaves nothing of this shard.
            var seen = new HashSet<(string, string)>();
            using (var insert = db.Command("""
                INSERT INTO registry_shard_items (run_id, shard_index, position, suite, item_id, status, correct, score, label, cluster, json)
                VALUES ($a, $b, $c, $d, $e, $f, $g, $h, $i, $j, $k) ON CONFLICT (run_id, suite, item_id) DO NOTHING
                """, tx, registration.RunId, registration.Index, 0, "", "", "", null, null, null, null, ""))
            {
                insert.Prepare();
                for (var i = 0; i < registration.Items.Count; i++)
                {
                    var t = registration.Items[i];
                    if (!seen.Add((t.Suite, t.ItemId)))
                    {
                        throw ShardRules.Duplicate(registration, t.Suite, t.ItemId, description);
                    }

                    object?[] values = [registration.RunId, registration.Index, i, t.Suite, t.ItemId, t.Status, Bit(t.Correct), t.Score, Bit(t.Label), t.Cluster, t.Json];
                    for (var k = 0; k < values.Length; k++)
                    {
                        insert.Parameters[k].Value = values[k] ?? DBNull.Value;
                    }

                    if (insert.ExecuteNonQuery() == 0)
                    {
                        using var who = db.Command("SELECT shard_index FROM registry_shard_items WHERE run_id = $a AND suite = $b AND item_id = $c", tx, registration.RunId, t.Suite, t.ItemId);
                        throw ShardRules.Overlap(registration, t.Suite, t.ItemId, Convert.ToInt32(who.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture), description);
                    }
                }
            }

            InsertAll(tx, "INSERT INTO registry_shard_files (run_id, shard_index, name, length, sha256, bytes) VALUES ($a, $b, $c, $d, $e, x'')",
                registration.Files, (f, _) => [registration.RunId, registration.Index, f.Name, f.Length, f.Sha256]);
            InsertAll(tx, "INSERT INTO registry_shard_file_chunks (run_id, shard_index, name, seq, bytes) VALUES ($a, $b, $c, $d, $e)",
                Chunks(registration.Files), (c, _) => [registration.RunId, registration.Index, c.Name, c.Seq, c.Bytes]);
            using (var end = db.Command("UPDATE registry_shards SET shard_run_id = $f, status = $c, finished_utc = $d, item_count = $e WHERE run_id = $a AND shard_index = $b",
                tx, registration.RunId, registration.Index, ShardRules.Status(registration.Failed), StoreTime.Format(DateTimeOffset.UtcNow), registration.Items.Count, registration.ShardRunId))
            {
                end.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ShardStatus> ReadShards(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            return ReadShardsLocked(runId, null);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<RunFile> ReadShardFiles(string runId, int index)
    {
        ArgumentNullException.ThrowIfNull(runId);
        lock (db.Gate)
        {
            db.ThrowIfDisposed();
            using var cmd = db.Command("SELECT name, length, sha256 FROM registry_shard_files WHERE run_id = $a AND shard_index = $b", null, runId, index);
            using var r = cmd.ExecuteReader();
            var files = new List<RunFile>();
            while (r.Read())
            {
                files.Add(RunFile.Stored(r.GetString(0), r.GetInt64(1), r.GetString(2),
                    ChunkReader("SELECT bytes FROM registry_shard_file_chunks WHERE run_id = $a AND shard_index = $b AND name = $c AND seq = $d", runId, index, r.GetString(0))));
            }

            return files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        }
    }

    private List<ItemRow> ShardItemsLocked(string runId, int index, SqliteTransaction tx)
    {
        using var cmd = db.Command("SELECT suite, item_id, status, correct, score, label, cluster, json FROM registry_shard_items WHERE run_id = $a AND shard_index = $b ORDER BY position", tx, runId, index);
        using var r = cmd.ExecuteReader();
        var list = new List<ItemRow>();
        while (r.Read())
        {
            list.Add(new ItemRow(r.GetString(0), r.GetString(1), r.GetString(2), NullableBool(r, 3), NullableDouble(r, 4), NullableBool(r, 5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7)));
        }

        return list;
    }

    private List<ShardStatus> ReadShardsLocked(string runId, SqliteTransaction? tx) =>
        Read(tx, "SELECT shard_index, shard_count, evaluation_sha256, shard_run_id, status, started_utc, finished_utc, item_count FROM registry_shards WHERE run_id = $a ORDER BY shard_index", runId,
            r => new ShardStatus(r.GetInt32(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), StoreTime.Parse(r.GetString(5)),
                r.IsDBNull(6) ? null : StoreTime.Parse(r.GetString(6)), r.GetInt32(7)));
}
