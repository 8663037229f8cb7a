using System.Text;
using ValidationLab.Errors;

namespace ValidationLab.Store.Tests;

// Sharded runs (schema 4): shards of one evaluation record into one registry run, each into rows keyed by its index,
// from several store instances at once; overlapping items, a second run of a shard with other results, and a
// migrated version 3 store.
public abstract partial class StoreConformanceTests
{
    private const string Evaluation = "3f2a9c1b7d4e5f60aa11bb22cc33dd44ee55ff6600112233445566778899aabb";

    private static string ShardedId(int count) => ShardedRun.IdFor(Evaluation, count);

    private static ShardStart Start(int index, int count, string shardRunId) => new(ShardedId(count), index, count, Evaluation, shardRunId, new RunFacts
    {
        RunId = ShardedId(count),
        Suites = ["medqa", "risk"],
        Model = "gpt-x",
        Runner = "openai",
        Seed = 7,
        StartedUtc = T0,
        FinishedUtc = T0,
        ConfigSha256 = Evaluation,
        HarnessCommit = "abc123",
    });

    /// <summary>Shard <paramref name="index"/>'s items: ids index, index + count, ... below <paramref name="total"/>, scored by <paramref name="score"/>.</summary>
    private static ShardRegistration ShardItems(int index, int count, string shardRunId, int total = 40, Func<int, double>? score = null, bool replace = false, bool failed = false) => new()
    {
        RunId = ShardedId(count),
        Index = index,
        ShardRunId = shardRunId,
        Replace = replace,
        Failed = failed,
        Items = Enumerable.Range(0, total).Where(i => i % count == index)
            .Select(i => new ItemRow(i % 2 == 0 ? "medqa" : "risk", $"q{i}", "scored", i % 3 == 0, score?.Invoke(i) ?? i / 100.0, null, null, $$"""{"item_id":"q{{i}}"}"""))
            .ToList(),
        Files = [RunFile.Of("results.json", Encoding.UTF8.GetBytes($"{{\"shard\": {index}}}\n")), RunFile.Of("items.jsonl", [0x7B, 0x7D, 0x0A, 0xFF])],
    };

    [StoreFact]
    public void Shards_record_into_one_sharded_run_whose_progress_the_list_shows()
    {
        using (var a = Open())
        using (var b = Open())
        {
            a.Registry.BeginShard(Start(0, 3, "s0"));
            b.Registry.BeginShard(Start(1, 3, "s1"));
            a.Registry.RecordShard(ShardItems(0, 3, "s0"));
            b.Registry.RecordShard(ShardItems(1, 3, "s1", failed: true));
        }

        using var store = Open();
        var run = Assert.Single(store.Registry.ListRuns(RunQuery.All));
        Assert.Equal(ShardedId(3), run.Facts.RunId);
        Assert.Equal(Evaluation, run.Facts.ConfigSha256);
        Assert.Equal(["medqa", "risk"], run.Facts.Suites);
        Assert.Equal(new ShardProgress(3, 1, false), run.Shards);
        Assert.Equal(14 + 13, run.ItemCount); // q0, q3, ..., q39 and q1, q4, ..., q37: the items recorded so far
        Assert.Single(store.Registry.ListRuns(new RunQuery { Suite = "risk" }));

        var shards = store.Registry.ReadShards(ShardedId(3));
        Assert.Equal([(0, "finished", "s0", 14), (1, "failed", "s1", 13)], shards.Select(s => (s.Index, s.Status, s.ShardRunId, s.ItemCount)));
        Assert.All(shards, s => Assert.Equal((3, Evaluation), (s.Count, s.EvaluationSha256)));
        Assert.Equal(ShardItems(1, 3, "s1").Files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (f.Name, f.Sha256, f.Bytes.Length)), store.Registry.ReadShardFiles(ShardedId(3), 1).Select(f => (f.Name, f.Sha256, f.Bytes.Length)));
        Assert.Equal(shards, store.Registry.GetRunDetail(ShardedId(3))!.Shards);

        // A merge records the merged run under the same id: the list shows it merged, with the merged run's items.
        store.Registry.RecordResults(Registration(ShardedId(3), "gpt-x", T0, ["medqa", "risk"], items: 40));
        var merged = Assert.Single(store.Registry.ListRuns(RunQuery.All));
        Assert.Equal((new ShardProgress(3, 1, true), 40), (merged.Shards, merged.ItemCount));
        Assert.Equal(2, store.Registry.ReadShards(ShardedId(3)).Count); // the merge keeps the shards' rows
    }

    [StoreFact]
    public async Task Four_shards_recording_at_once_from_four_instances_keep_every_row()
    {
        const int count = 4;
        using var gate = new Barrier(count);
        var stores = Enumerable.Range(0, count).Select(_ => Open()).ToList();
        try
        {
            await Task.WhenAll(stores.Select((store, i) => Task.Factory.StartNew(() =>
            {
                gate.SignalAndWait();
                store.Registry.BeginShard(Start(i, count, $"s{i}"));
                gate.SignalAndWait(); // every shard has begun before any records: the recordings overlap in time
                store.Registry.RecordShard(ShardItems(i, count, $"s{i}", total: 400));
            }, TaskCreationOptions.LongRunning)));
        }
        finally
        {
            stores.ForEach(s => s.Dispose());
        }

        using var check = Open();
        var shards = check.Registry.ReadShards(ShardedId(count));
        Assert.Equal([100, 100, 100, 100], shards.Select(s => s.ItemCount));
        Assert.All(shards, s => Assert.True(s.Finished));
        Assert.Equal(400L, Convert.ToInt64(Scalar($"SELECT count(DISTINCT item_id) FROM registry_shard_items WHERE run_id = '{ShardedId(count)}'"), System.Globalization.CultureInfo.InvariantCulture));
        var run = Assert.Single(check.Registry.ListRuns(RunQuery.All));
        Assert.Equal((new ShardProgress(count, count, false), 400), (run.Shards, run.ItemCount));
        AssertIntact();
    }

    [StoreFact]
    public void An_item_another_shard_recorded_is_refused_and_nothing_of_the_shard_is_recorded()
    {
        using var store = Open();
        store.Registry.BeginShard(Start(0, 2, "s0"));
        store.Registry.BeginShard(Start(1, 2, "s1"));
        store.Registry.RecordShard(ShardItems(0, 2, "s0"));
        var stray = ShardItems(1, 2, "s1");
        stray = stray with { Items = [.. stray.Items, ShardItems(0, 2, "s0").Items[3]] }; // q6, shard 0's

        var error = Assert.Throws<InputException>(() => store.Registry.RecordShard(stray));
        Assert.Contains("item 'q6' of suite 'medqa' is already recorded", error.Message, StringComparison.Ordinal);
        Assert.Contains("by shard 0, and shard 1 recorded it again: overlapping shards", error.Message, StringComparison.Ordinal);
        Assert.Contains(ShardedId(2), error.Message, StringComparison.Ordinal);
        var one = store.Registry.ReadShards(ShardedId(2)).Single(s => s.Index == 1);
        Assert.Equal(("running", 0), (one.Status, one.ItemCount));
        Assert.Empty(store.Registry.ReadShardFiles(ShardedId(2), 1));
        Assert.Equal(20L, Convert.ToInt64(Scalar($"SELECT count(*) FROM registry_shard_items WHERE run_id = '{ShardedId(2)}'"), System.Globalization.CultureInfo.InvariantCulture));

        // The same item twice in one shard is refused too.
        var twice = ShardItems(1, 2, "s1");
        twice = twice with { Items = [.. twice.Items, twice.Items[0]] };
        Assert.Contains("item 'q1' of suite 'risk' is twice in shard 1", Assert.Throws<InputException>(() => store.Registry.RecordShard(twice)).Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public void A_second_run_of_a_shard_with_other_results_is_refused_unless_it_replaces_and_then_replaces_only_its_own_rows()
    {
        using var store = Open();
        store.Registry.BeginShard(Start(0, 2, "s0"));
        store.Registry.BeginShard(Start(1, 2, "s1"));
        store.Registry.RecordShard(ShardItems(0, 2, "s0"));
        store.Registry.RecordShard(ShardItems(1, 2, "s1"));

        // Another run of shard 1 (a second pod, a rerun): the same results are accepted, other results refused.
        store.Registry.BeginShard(Start(1, 2, "s1-again"));
        Assert.Equal("s1", store.Registry.ReadShards(ShardedId(2))[1].ShardRunId); // beginning takes nothing over
        var other = ShardItems(1, 2, "s1-again", score: i => i == 5 ? 0.99 : i / 100.0);
        var error = Assert.Throws<InputException>(() => store.Registry.RecordShard(other));
        Assert.Contains($"shard 1/2 of sharded run {ShardedId(2)}", error.Message, StringComparison.Ordinal);
        Assert.Contains("already recorded by run s1 (finished, 20 items) with different results (item 'q5' of suite 'risk' was scored, score 0.05, now scored, score 0.99)", error.Message, StringComparison.Ordinal);
        Assert.Contains("--overwrite", error.Message, StringComparison.Ordinal);
        Assert.Equal("s1", store.Registry.ReadShards(ShardedId(2))[1].ShardRunId);

        store.Registry.RecordShard(ShardItems(1, 2, "s1-same"));
        Assert.Equal("s1-same", store.Registry.ReadShards(ShardedId(2))[1].ShardRunId);

        // --overwrite: shard 1's rows are replaced, shard 0's are untouched, no item is there twice.
        store.Registry.RecordShard(other with { Replace = true });
        var shards = store.Registry.ReadShards(ShardedId(2));
        Assert.Equal([("s0", 20), ("s1-again", 20)], shards.Select(s => (s.ShardRunId, s.ItemCount)));
        Assert.Equal(40L, Convert.ToInt64(Scalar($"SELECT count(*) FROM registry_shard_items WHERE run_id = '{ShardedId(2)}'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0.99, Convert.ToDouble(Scalar($"SELECT score FROM registry_shard_items WHERE run_id = '{ShardedId(2)}' AND item_id = 'q5'"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [StoreFact]
    public void A_resumed_shard_records_again_in_place_of_its_earlier_rows()
    {
        using var store = Open();
        store.Registry.BeginShard(Start(0, 2, "s0"));
        store.Registry.RecordShard(ShardItems(0, 2, "s0", total: 10, failed: true));

        // The same shard run (--resume keeps its id) begins again and records its completed items.
        store.Registry.BeginShard(Start(0, 2, "s0"));
        Assert.Equal("running", store.Registry.ReadShards(ShardedId(2))[0].Status);
        store.Registry.RecordShard(ShardItems(0, 2, "s0", total: 40, score: _ => 1.0));
        var shard = Assert.Single(store.Registry.ReadShards(ShardedId(2)));
        Assert.Equal(("finished", 20), (shard.Status, shard.ItemCount));
        Assert.Equal(20L, Convert.ToInt64(Scalar($"SELECT count(DISTINCT item_id) FROM registry_shard_items WHERE run_id = '{ShardedId(2)}' AND score = 1.0"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(20L, Convert.ToInt64(Scalar($"SELECT count(*) FROM registry_shard_items WHERE run_id = '{ShardedId(2)}'"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [StoreFact]
    public void A_sharded_run_id_holding_another_evaluation_is_refused()
    {
        using var store = Open();
        store.Registry.BeginShard(Start(0, 2, "s0"));
        Sql($"UPDATE registry_shards SET evaluation_sha256 = 'other' WHERE run_id = '{ShardedId(2)}'");
        var error = Assert.Throws<InputException>(() => store.Registry.BeginShard(Start(1, 2, "s1")));
        Assert.Contains($"sharded run {ShardedId(2)}", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds shards of evaluation other", error.Message, StringComparison.Ordinal);
        Assert.Single(store.Registry.ReadShards(ShardedId(2)));
    }

    [StoreFact]
    public void A_version_3_store_is_migrated_and_keeps_its_registered_runs()
    {
        // A version 3 store is this schema without the sharded-run tables (migration 4 only adds them).
        using (var store = Open())
        {
            store.Registry.RecordResults(Registration("r3", "gpt-x", T0, ["medqa"]));
        }

        Sql("DROP TABLE registry_file_chunks; DROP TABLE registry_shard_file_chunks; DROP TABLE registry_shard_files; DROP TABLE registry_shard_items; DROP TABLE registry_shards");
        SetSchemaVersion(3);

        using var migrated = Open();
        Assert.Equal(StoreSchema.Current, StoredSchemaVersion());
        Assert.Equal(3, migrated.Registry.GetRunDetail("r3")!.Items.Count);
        Assert.Null(Assert.Single(migrated.Registry.ListRuns(RunQuery.All)).Shards);
        migrated.Registry.BeginShard(Start(0, 1, "s0"));
        migrated.Registry.RecordShard(ShardItems(0, 1, "s0"));
        Assert.True(Assert.Single(migrated.Registry.ReadShards(ShardedId(1))).Finished);
    }
}
