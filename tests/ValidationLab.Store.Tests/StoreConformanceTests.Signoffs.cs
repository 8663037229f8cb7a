namespace ValidationLab.Store.Tests;

// Sign-offs: append order, the mirror hook, append-only tables, and concurrent signers (moved from the CLI tests'
// SignoffStoreTests).
public abstract partial class StoreConformanceTests
{
    private static SignoffRow Next(string run, IReadOnlyList<SignoffRow> rows) =>
        Signoff(run, rows.Count, rows.Count == 0 ? "genesis" : rows[^1].RecordHash);

    [StoreFact]
    public void Each_append_is_handed_the_runs_rows_so_far()
    {
        using var store = Open();
        var registry = store.Registry;
        registry.AppendSignoff("a", rows => Next("a", rows));
        registry.AppendSignoff("b", rows => Next("b", rows));
        registry.AppendSignoff("a", rows => Next("a", rows));

        using var other = Open();
        var a = other.Registry.ReadSignoffs("a");
        Assert.Equal([0L, 1L], a.Select(r => r.Seq));
        Assert.Equal(["genesis", "hash-a-0"], a.Select(r => r.PrevHash));
        Assert.Equal(Signoff("a", 1, "hash-a-0"), a[1]);
        Assert.Equal(["a", "b"], other.Registry.SignedRuns());
    }

    [StoreFact]
    public void Nothing_is_committed_when_the_mirror_cannot_be_written()
    {
        using var store = Open();
        Assert.Throws<IOException>(() => store.Registry.AppendSignoff("a", rows => Next("a", rows), _ => throw new IOException("disk full")));
        Assert.Empty(store.Registry.ReadSignoffs("a"));
        Assert.Throws<InvalidOperationException>(() => store.Registry.AppendSignoff("a", _ => throw new InvalidOperationException("refused")));
        Assert.Empty(store.Registry.SignedRuns());
    }

    [StoreFact]
    public void Sign_off_rows_cannot_be_updated_or_deleted()
    {
        using var store = Open();
        store.Registry.AppendSignoff("a", rows => Next("a", rows));
        var update = Assert.ThrowsAny<Exception>(() => Sql("UPDATE signoffs SET comment = 'edited'"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        var delete = Assert.ThrowsAny<Exception>(() => Sql("DELETE FROM signoffs"));
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.Equal("comment", store.Registry.ReadSignoffs("a").Single().Comment);
    }

    [StoreFact]
    public async Task Concurrent_signers_in_several_instances_never_fork_the_chain()
    {
        const int signers = 6, each = 5;
        var stores = Enumerable.Range(0, signers).Select(_ => Open()).ToList();
        try
        {
            // Every signer starts at once; each append reads the chain and links to its head inside the store's lock.
            using var start = new Barrier(signers);
            var work = stores.Select(s => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                for (var k = 0; k < each; k++)
                {
                    s.Registry.AppendSignoff("run", rows => Next("run", rows));
                }
            }, TaskCreationOptions.LongRunning)).ToArray();
            await Task.WhenAll(work);

            var chain = stores[0].Registry.ReadSignoffs("run");
            Assert.Equal(Enumerable.Range(0, signers * each).Select(i => (long)i), chain.Select(r => r.Seq));
            for (var i = 1; i < chain.Count; i++)
            {
                Assert.Equal(chain[i - 1].RecordHash, chain[i].PrevHash);
            }
        }
        finally
        {
            stores.ForEach(s => s.Dispose());
        }
    }

    [StoreFact]
    public async Task A_consistent_read_waits_for_a_signer_that_is_writing_its_mirror()
    {
        using var signer = Open();
        using var auditor = Open();
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var append = Task.Factory.StartNew(() => signer.Registry.AppendSignoff("a", rows => Next("a", rows), _ =>
        {
            inside.SetResult();
            release.Task.Wait();
        }), TaskCreationOptions.LongRunning);
        await inside.Task;

        // The signer holds the run's lock with its row inserted but not committed: a consistent read started now can
        // only see the state after the commit (never the mirror ahead of the store).
        var read = Task.Factory.StartNew(() => auditor.Registry.ReadSignoffsConsistently("a", rows => rows.Count), TaskCreationOptions.LongRunning);
        release.SetResult();
        await append;
        Assert.Equal(1, await read);
    }
}
