using ValidationLab.Errors;

namespace ValidationLab.Store.Tests;

// Schema versions and migrations, and several instances writing one store at once.
public abstract partial class StoreConformanceTests
{
    [StoreFact]
    public void A_new_store_is_at_the_current_schema_version()
    {
        using var store = Open();
        Assert.Equal(StoreSchema.Current, store.SchemaVersion);
        Assert.Equal(StoreSchema.Current, StoredSchemaVersion());
    }

    [StoreFact]
    public void A_version_1_store_is_migrated_and_keeps_its_answers_and_runs()
    {
        CreateOldStore(1);
        using (var store = Open())
        {
            Assert.Equal(StoreSchema.Current, StoredSchemaVersion());
            AssertOldContentKept(store);
            Assert.Empty(store.Registry.SignedRuns());

            // The tables of versions 2 and 3 work.
            store.Registry.AppendSignoff("old-run", rows => Next("old-run", rows));
            store.Registry.RecordResults(Registration("old-run", "gpt-x", T0, ["medqa"]));
            Assert.Single(store.Registry.ListRuns(RunQuery.All));
        }

        using var again = Open(); // opening a current store changes nothing
        Assert.Single(again.Registry.ReadSignoffs("old-run"));
    }

    [StoreFact]
    public void A_version_2_store_is_migrated_and_keeps_its_sign_offs()
    {
        CreateOldStore(2);
        using var store = Open();
        Assert.Equal(StoreSchema.Current, StoredSchemaVersion());
        AssertOldContentKept(store);
        var old = Assert.Single(store.Registry.ReadSignoffs("old-run"));
        Assert.Equal(Signoff("old-run", 0, "genesis"), old);
        store.Registry.AppendSignoff("old-run", rows => Next("old-run", rows));
        Assert.Equal(["genesis", "hash-old-run-0"], store.Registry.ReadSignoffs("old-run").Select(r => r.PrevHash));
        Assert.ThrowsAny<Exception>(() => Sql("DELETE FROM signoffs")); // still append-only after the migration
    }

    [StoreFact]
    public void A_store_written_by_a_newer_schema_is_refused_naming_both_versions()
    {
        Open().Dispose();
        SetSchemaVersion(StoreSchema.Current + 96);
        var error = Assert.Throws<InputException>(() => Open().Dispose());
        Assert.Contains($"schema version {StoreSchema.Current + 96}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {StoreSchema.Current}", error.Message, StringComparison.Ordinal);
        Assert.Equal(StoreSchema.Current + 96, StoredSchemaVersion()); // refused, not downgraded
    }

    [StoreFact]
    public async Task Two_instances_writing_one_store_at_once_corrupt_nothing()
    {
        using var a = Open();
        using var b = Open();
        var runA = a.Registry.BeginRun("cfg-a", resume: false);
        var runB = b.Registry.BeginRun("cfg-b", resume: false);
        using var start = new Barrier(2);

        // Both put 300 answers (150 keys in common, the same content), link them to their run, record their run in
        // the registry and sign a shared run, all at the same time.
        Task Writer(IRunStore store, string runId, int offset) => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            Parallel.For(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => Put(store.Responses, offset + i, runId).GetAwaiter().GetResult());
            store.Registry.RecordResults(Registration(runId, "m-" + runId, T0, ["medqa"], items: 500));
            for (var k = 0; k < 5; k++)
            {
                store.Registry.AppendSignoff("shared", rows => Next("shared", rows));
            }
        }, TaskCreationOptions.LongRunning);

        await Task.WhenAll(Writer(a, runA, 0), Writer(b, runB, 150));

        using var check = Open();
        Assert.Equal(450, check.Responses.CachedResponseCount);
        Assert.Equal(300, check.Responses.CountAnswered(runA));
        Assert.Equal(300, check.Responses.CountAnswered(runB));
        for (var i = 0; i < 450; i++)
        {
            Assert.True(check.Responses.TryGetResponse(CacheKeys.CacheKey(Identity, Request(i)), Request(i), out var back));
            Assert.Equal("answer " + i, back.Text);
        }

        foreach (var run in new[] { runA, runB })
        {
            Assert.Equal(Registration(run, "m-" + run, T0, ["medqa"], items: 500).Items, check.Registry.GetRunDetail(run)!.Items);
        }

        var chain = check.Registry.ReadSignoffs("shared");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), chain.Select(r => r.Seq));
        AssertIntact();
    }

    /// <summary>The backend's own consistency check after concurrent writers (none by default).</summary>
    protected virtual void AssertIntact()
    {
    }

    /// <summary>What <see cref="CreateOldStore"/> put in: one answer for Request(1), run "old-run" of config "old-cfg" linked to it.</summary>
    private static void AssertOldContentKept(IRunStore store)
    {
        Assert.True(store.Responses.TryGetResponse(CacheKeys.CacheKey(Identity, Request(1)), Request(1), out var back));
        Assert.Equal("old answer", back.Text);
        Assert.Equal(1, store.Responses.CountAnswered("old-run"));
        Assert.Equal("old-run", store.Registry.FindUnfinishedRun("old-cfg"));
        Assert.Equal("old-run", store.Registry.BeginRun("old-cfg", resume: true));
    }
}
