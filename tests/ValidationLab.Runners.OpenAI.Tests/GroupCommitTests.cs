using Microsoft.Data.Sqlite;
using ValidationLab.Requests;
using ValidationLab.Store;

namespace ValidationLab.Runners.OpenAI.Tests;

/// <summary>The run store's group commit: many writers share a transaction, none of them can fail the others.</summary>
public sealed class GroupCommitTests : IDisposable
{
    private static readonly RunnerIdentity Identity = new() { Runner = "openai", Model = "m", Source = "http://x/v1", Fingerprint = "f" };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vl-group-" + Guid.NewGuid().ToString("N"));

    private string StorePath => Path.Combine(_dir, "store.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static GenerateRequest Request(int i) => new()
    {
        Suite = "s",
        ItemId = "i" + i,
        Messages = [new ChatMessage("user", "Question " + i)],
    };

    private static ModelResponse Answer(int i) => new() { Suite = "s", ItemId = "i" + i, Text = "answer " + i, LatencyMs = i };

    /// <summary>A copy of the files as they are on disk right now, store still open: what kill -9 leaves behind.</summary>
    private string CopyAsCrashed()
    {
        var crashDir = Path.Combine(_dir, "crashed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(crashDir);
        foreach (var file in Directory.GetFiles(_dir))
        {
            File.Copy(file, Path.Combine(crashDir, Path.GetFileName(file)));
        }

        return Path.Combine(crashDir, "store.db");
    }

    [Fact]
    public async Task Concurrent_puts_are_all_durable_once_their_tasks_complete()
    {
        const int n = 400;
        var store = RunStore.Open(StorePath);
        var runId = store.BeginRun("cfg", resume: false);
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var request = Request(i);
            var (key, hash) = CacheKeys.Compute(Identity, request);
            await store.PutResponseAsync(key, hash, Identity, request, Answer(i), runId, CancellationToken.None);

            // Readable at once (by the read connection) once the put completed.
            Assert.True(store.TryGetResponse(key, request, out var back));
            Assert.Equal("answer " + i, back.Text);
        });

        // No clean close: the files as they are now must hold every answer and every link.
        var crashed = CopyAsCrashed();
        store.Dispose();
        using var reopened = RunStore.Open(crashed);
        Assert.Equal(n, reopened.CachedResponseCount);
        Assert.Equal(n, reopened.CountAnswered(runId));
        for (var i = 0; i < n; i++)
        {
            Assert.True(reopened.TryGetResponse(CacheKeys.CacheKey(Identity, Request(i)), Request(i), out var back));
            Assert.Equal("answer " + i, back.Text);
            Assert.Equal(i, back.LatencyMs);
        }
    }

    [Fact]
    public async Task The_cache_key_scheme_is_unchanged_and_the_request_hash_stored_is_the_one_of_the_request()
    {
        using var store = RunStore.Open(StorePath);
        var request = Request(1);
        var (key, hash) = CacheKeys.Compute(Identity, request);
        Assert.Equal(CacheKeys.CacheKey(Identity, request), key);

        // The key scheme of existing stores: SHA-256 of the identity and the canonical request joined by NULs.
        Assert.Equal(
            RequestHasher.Sha256Hex(string.Join('\0', "validationlab-cache/1", Identity.Runner, Identity.Model, Identity.Source, Identity.Fingerprint, RequestHasher.CanonicalJson(request))),
            key);
        var noSource = Identity with { Source = null };
        Assert.Equal(
            RequestHasher.Sha256Hex(string.Join('\0', "validationlab-cache/1", "openai", "m", "", "f", RequestHasher.CanonicalJson(request))),
            CacheKeys.CacheKey(noSource, request));
        Assert.Equal(RequestHasher.Hash(request), hash);
        await store.PutResponseAsync(key, hash, Identity, request, Answer(1), null, CancellationToken.None);
        using var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT request_hash FROM responses";
        Assert.Equal(hash, cmd.ExecuteScalar());
    }

    [Fact]
    public async Task A_failing_row_fails_only_its_own_put()
    {
        using var store = RunStore.Open(StorePath);
        var poisoned = CacheKeys.CacheKey(Identity, Request(7));
        using (var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"CREATE TRIGGER poison BEFORE INSERT ON responses WHEN NEW.cache_key = '{poisoned}' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END";
            cmd.ExecuteNonQuery();
        }

        // Enqueued together so that they share batches with the poisoned row.
        var puts = Enumerable.Range(0, 50).Select(i =>
        {
            var request = Request(i);
            var (key, hash) = CacheKeys.Compute(Identity, request);
            return store.PutResponseAsync(key, hash, Identity, request, Answer(i), null, CancellationToken.None);
        }).ToArray();

        var error = await Assert.ThrowsAsync<SqliteException>(() => puts[7]);
        Assert.Contains("poisoned row", error.Message, StringComparison.Ordinal);
        for (var i = 0; i < puts.Length; i++)
        {
            if (i != 7)
            {
                await puts[i];
                Assert.True(store.Contains(CacheKeys.CacheKey(Identity, Request(i))), $"answer {i} lost");
            }
        }

        Assert.False(store.Contains(poisoned));
        Assert.Equal(49, store.CachedResponseCount);

        // The writer survives: later puts still commit.
        store.PutResponse(CacheKeys.CacheKey(Identity, Request(100)), Identity, Request(100), Answer(100));
        Assert.Equal(50, store.CachedResponseCount);
    }

    [Fact]
    public async Task A_cancelled_wait_does_not_poison_the_others_and_its_answer_is_still_stored()
    {
        using var store = RunStore.Open(StorePath);

        // Another process holds the write lock: the writer waits (busy_timeout) with the batch in hand.
        using var blocker = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        using var cancelled = new CancellationTokenSource();
        var puts = Enumerable.Range(0, 20).Select(i =>
        {
            var request = Request(i);
            var (key, hash) = CacheKeys.Compute(Identity, request);
            return store.PutResponseAsync(key, hash, Identity, request, Answer(i), null, i == 3 ? cancelled.Token : CancellationToken.None);
        }).ToArray();

        // No sleep to let the writer pick the batch up: whether the cancellation lands before or after it has, the
        // others must keep waiting and the cancelled caller's answer must still be stored.
        Assert.All(puts, p => Assert.False(p.IsCompleted));
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => puts[3]);
        Assert.All(puts.Where((_, i) => i != 3), p => Assert.False(p.IsCompleted));

        using (var commit = blocker.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
        }

        await Task.WhenAll(puts.Where((_, i) => i != 3));
        Assert.Equal(20, store.CachedResponseCount); // the cancelled caller stopped waiting; its answer was kept
    }

    [Fact]
    public async Task Dispose_commits_every_pending_put_and_later_puts_are_refused()
    {
        var store = RunStore.Open(StorePath);
        var puts = Enumerable.Range(0, 200).Select(i =>
        {
            var request = Request(i);
            var (key, hash) = CacheKeys.Compute(Identity, request);
            return store.PutResponseAsync(key, hash, Identity, request, Answer(i), null, CancellationToken.None);
        }).ToArray();
        store.Dispose();
        await Task.WhenAll(puts); // all completed, none failed
        Assert.Throws<ObjectDisposedException>(() => store.PutResponse("k", Identity, Request(1), Answer(1)));
        store.Dispose(); // twice is fine

        using var reopened = RunStore.Open(StorePath);
        Assert.Equal(200, reopened.CachedResponseCount);
    }

    [Fact]
    public async Task Reads_run_while_writes_are_committed()
    {
        using var store = RunStore.Open(StorePath);
        var seed = Request(-1);
        store.PutResponse(CacheKeys.CacheKey(Identity, seed), Identity, seed, Answer(-1));
        using var stop = new CancellationTokenSource();
        var reads = 0L;
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(() =>
        {
            for (var k = 0; k < 100_000 && !stop.IsCancellationRequested; k++)
            {
                Assert.True(store.TryGetResponse(CacheKeys.CacheKey(Identity, seed), seed, out _));
                Interlocked.Increment(ref reads);
            }
        })).ToArray();
        await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var request = Request(i);
            var (key, hash) = CacheKeys.Compute(Identity, request);
            await store.PutResponseAsync(key, hash, Identity, request, Answer(i), null, CancellationToken.None);
        });
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(Interlocked.Read(ref reads) > 0);
        Assert.Equal(301, store.CachedResponseCount);
    }
}
