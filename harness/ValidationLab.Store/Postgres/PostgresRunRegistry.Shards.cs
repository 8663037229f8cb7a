using Npgsql;
using NpgsqlTypes;

namespace ValidationLab.Store.Postgres;

// PostgresRunRegistry: sharded runs (schema version 4). Shards on different machines write at once: each holds an
// advisory lock on its own (run, index) only, deletes and inserts only rows keyed by its index, and never updates a
// row another shard writes (the sharded run's registry_runs row is inserted once, ON CONFLICT DO NOTHING). The unique
// index on (run_id, suite, item_id) is what refuses overlapping shards, even two racing each other.
internal sealed partial class PostgresRunRegistry
{
    private const int ShardLock = 0x766C7368; // "vlsh"

    /// <inheritdoc />
    public void BeginShard(ShardStart start)
    {
        ShardRules.CheckStart(start);
        InTransaction((c, tx) =>
        {
            Lock(c, tx, ShardLock, ShardKey(start.RunId, start.Index));
            var shards = ReadShards(c, tx, start.RunId);
            if (shards.FirstOrDefault(s => s.EvaluationSha256 != start.EvaluationSha256) is { } other)
            {
                throw ShardRules.OtherEvaluation(start, other.EvaluationSha256, description);
            }

            var facts = start.Facts;
            var now = StoreTime.Normalize(DateTimeOffset.UtcNow);
            var created = Execute(c, tx, $"""
                INSERT INTO registry_runs ({FactsColumns}, item_count, recorded_utc) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, false, 0, $5)
                ON CONFLICT (run_id) DO NOTHING
                """, start.RunId, facts.Model, facts.Runner, facts.Seed, now, start.EvaluationSha256, facts.HarnessCommit);
            if (created == 1)
            {
                for (var i = 0; i < facts.Suites.Count; i++)
                {
                    Execute(c, tx, "INSERT INTO registry_run_suites (run_id, position, suite) VALUES ($1, $2, $3)", start.RunId, i, facts.Suites[i]);
                }
            }

            Execute(c, tx, """
                INSERT INTO registry_shards (run_id, shard_index, shard_count, evaluation_sha256, shard_run_id, status, started_utc)
                VALUES ($1, $2, $3, $4, $5, 'running', $6)
                ON CONFLICT (run_id, shard_index) DO UPDATE SET status = 'running', started_utc = excluded.started_utc, finished_utc = NULL
                    WHERE registry_shards.shard_run_id = excluded.shard_run_id
                """, start.RunId, start.Index, start.Count, start.EvaluationSha256, start.ShardRunId, now);
            return true;
        });
    }

    /// <inheritdoc />
    public void RecordShard(ShardRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var seen = new HashSet<(string, string)>();
        foreach (var t in registration.Items)
        {
            if (!seen.Add((t.Suite, t.ItemId)))
            {
                throw ShardRules.Duplicate(registration, t.Suite, t.ItemId, description);
            }
        }

        try
        {
            InTransaction((c, tx) =>
            {
                Lock(c, tx, ShardLock, ShardKey(registration.RunId, registration.Index));
                if (ReadShards(c, tx, registration.RunId).FirstOrDefault(x => x.Index == registration.Index) is not { } held)
                {
                    throw new InvalidOperationException($"shard {registration.Index} of sharded run '{registration.RunId}' was not begun (BeginShard)");
                }

                // Another run of this shard recorded it before: replaced only with --overwrite, or when its results are ours.
                if (held.ShardRunId != registration.ShardRunId && !registration.Replace && held.ItemCount > 0
                    && ShardRules.FirstDifference(ShardItems(c, tx, registration.RunId, registration.Index), registration.Items) is { } difference)
                {
                    throw ShardRules.Differs(registration, held, difference, description);
                }

                Execute(c, tx, "DELETE FROM registry_shard_items WHERE run_id = $1 AND shard_index = $2", registration.RunId, registration.Index);
                Execute(c, tx, "DELETE FROM registry_shard_files WHERE run_id = $1 AND shard_index = $2", registration.RunId, registration.Index);
                Execute(c, tx, "DELETE FROM registry_shard_file_chunks WHERE run_id = $1 AND shard_index = $2", registration.RunId, registration.Index);
                if (FindOverlap(c, tx, registration) is { } overlap)
                {
                    throw ShardRules.Overlap(registration, overlap.Suite, overlap.ItemId, overlap.Index, description);
                }

                CopyItems(c, registration.RunId, registration.Items, "registry_shard_items", registration.Index);
                CopyFiles(c, registration.RunId, registration.Files, registration.Index);
                Execute(c, tx, "UPDATE registry_shards SET shard_run_id = $6, status = $3, finished_utc = $4, item_count = $5 WHERE run_id = $1 AND shard_index = $2",
                    registration.RunId, registration.Index, ShardRules.Status(registration.Failed), StoreTime.Normalize(DateTimeOffset.UtcNow), registration.Items.Count, registration.ShardRunId);
                return true;
            });
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another shard committed an item of ours between our check and our COPY: name it now that it is visible.
            var overlap = WithConnection(c => FindOverlap(c, null, registration));
            throw overlap is { } o
                ? ShardRules.Overlap(registration, o.Suite, o.ItemId, o.Index, description)
                : new Errors.InputException($"shard {registration.Index} of sharded run {registration.RunId} ({description}) overlaps another shard's items: nothing of it is recorded", field: "item_id", inner: e);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ShardStatus> ReadShards(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnection(c => (IReadOnlyList<ShardStatus>)ReadShards(c, null, runId));
    }

    /// <inheritdoc />
    public IReadOnlyList<RunFile> ReadShardFiles(string runId, int index)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnection(c =>
        {
            using var cmd = Command(c, null, "SELECT name, length, sha256 FROM registry_shard_files WHERE run_id = $1 AND shard_index = $2", runId, index);
            using var r = cmd.ExecuteReader();
            var files = new List<RunFile>();
            while (r.Read())
            {
                files.Add(RunFile.Stored(r.GetString(0), r.GetInt64(1), r.GetString(2),
                    ChunkReader("SELECT bytes FROM registry_shard_file_chunks WHERE run_id = $1 AND shard_index = $2 AND name = $3 AND seq = $4", runId, index, r.GetString(0))));
            }

            return (IReadOnlyList<RunFile>)files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        });
    }

    private static List<ItemRow> ShardItems(NpgsqlConnection c, NpgsqlTransaction tx, string runId, int index)
    {
        using var cmd = Command(c, tx, "SELECT suite, item_id, status, correct, score, label, cluster, json FROM registry_shard_items WHERE run_id = $1 AND shard_index = $2 ORDER BY position", runId, index);
        using var r = cmd.ExecuteReader();
        var list = new List<ItemRow>();
        while (r.Read())
        {
            list.Add(new ItemRow(r.GetString(0), r.GetString(1), r.GetString(2), NullableBool(r, 3), NullableDouble(r, 4), NullableBool(r, 5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7)));
        }

        return list;
    }

    private static List<ShardStatus> ReadShards(NpgsqlConnection c, NpgsqlTransaction? tx, string runId) =>
        Read(c, tx, "SELECT shard_index, shard_count, evaluation_sha256, shard_run_id, status, started_utc, finished_utc, item_count FROM registry_shards WHERE run_id = $1 ORDER BY shard_index", runId,
            r => new ShardStatus(r.GetInt32(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5),
                r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.GetInt32(7)));

    /// <summary>The first of the shard's items another shard of the run already recorded, or null.</summary>
    private static (string Suite, string ItemId, int Index)? FindOverlap(NpgsqlConnection c, NpgsqlTransaction? tx, ShardRegistration registration)
    {
        using var cmd = Command(c, tx, """
            SELECT i.suite, i.item_id, i.shard_index FROM registry_shard_items i
            JOIN unnest($3::text[], $4::text[]) AS n (suite, item_id) ON i.suite = n.suite AND i.item_id = n.item_id
            WHERE i.run_id = $1 AND i.shard_index <> $2
            ORDER BY i.shard_index, i.suite, i.item_id LIMIT 1
            """, registration.RunId, registration.Index, registration.Items.Select(t => t.Suite).ToArray(), registration.Items.Select(t => t.ItemId).ToArray());
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), r.GetString(1), r.GetInt32(2)) : null;
    }

    private static string ShardKey(string runId, int index) => runId + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
