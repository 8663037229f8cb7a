using System.Text;
using Microsoft.Data.Sqlite;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Store.Sqlite;
using static ValidationLab.Runners.OpenAI.Tests.TestSupport;

namespace ValidationLab.Store.Tests;

/// <summary>
/// What only the SQLite file can show: the files as kill -9 leaves them (copied while the store is open), what the
/// files contain, and the writer waiting on another process's write lock. Moved from the OpenAI runner tests
/// (RunStoreTests, GroupCommitTests); the backend-neutral ones are in <see cref="StoreConformanceTests"/>.
/// </summary>
public sealed class SqliteStoreTests : IDisposable
{
    private static readonly RunnerIdentity Identity = new() { Runner = "openai", Model = "m", Source = "http://x/v1", Fingerprint = "f" };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vl-sqlite-" + Guid.NewGuid().ToString("N"));

    private string StorePath => Path.Combine(_dir, ".validationlab", "store.db");

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

    /// <summary>A copy of the store's files as they are on disk right now, store still open: what kill -9 leaves behind.</summary>
    private string CopyAsCrashed()
    {
        var crashDir = Path.Combine(_dir, "crashed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(crashDir);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(StorePath)!))
        {
            File.Copy(file, Path.Combine(crashDir, Path.GetFileName(file)));
        }

        return Path.Combine(crashDir, "store.db");
    }

    [Fact]
    public async Task A_run_killed_midway_resumes_without_losing_or_resending_stored_items()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var plan = Plan(40, 20);

        // The reference: an uninterrupted run against a separate store.
        ModelResponse[] reference;
        using (var refStore = SqliteRunStore.Open(Path.Combine(_dir, "reference.db")))
        {
            await using var runner = new CachingModelRunner(CreateRunner(server), refStore.Responses);
            await runner.PrepareAsync(plan, default);
            reference = await RunAllAsync(runner, plan, 8);
        }

        // The interrupted run: the server answers half the plan and then holds every request; once all eight
        // workers wait on a held request (nothing else can be on the wire) the run is cancelled, and the files are
        // copied as they are on disk with the connection still open (no checkpoint, no clean close): what kill -9
        // leaves behind.
        server.ResetCounters();
        var answeredBeforeCrash = 1 + (plan.Count / 2); // the log-likelihood probe, then half the plan
        server.Hold(r => r.Number > answeredBeforeCrash);
        var crashDir = Path.Combine(_dir, "crashed");
        Directory.CreateDirectory(crashDir);
        string runId;
        long storedBeforeCrash;
        HashSet<string> storedItems;
        var first = SqliteRunStore.Open(StorePath);
        {
            runId = first.Registry.BeginRun("config-sha", resume: false);
            var runner = new CachingModelRunner(CreateRunner(server), first.Responses, runId);
            await runner.PrepareAsync(plan, default);
            using var cts = new CancellationTokenSource();
            var running = Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cts.Token }, async (r, ct) =>
            {
                await runner.ExecuteAsync(r, ct);
            });
            await server.WaitUntilAsync(s => s.Held == 8, "all eight workers held");
            await cts.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }

            storedBeforeCrash = first.Responses.CachedResponseCount;
            storedItems = plan.Where(r => first.Responses.Contains(CacheKeys.CacheKey(runner.Identity, r))).Select(r => r.ItemId).ToHashSet();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(StorePath)!))
            {
                File.Copy(file, Path.Combine(crashDir, Path.GetFileName(file)));
            }

            // Abandon: neither FinishRun nor a clean close is seen by the copy.
        }

        Assert.InRange(storedBeforeCrash, plan.Count / 2, plan.Count - 1);
        first.Dispose();

        // The cancelled requests end in the server (their connections are dropped); only then is the count final.
        await server.WaitUntilAsync(s => s.InFlight == 0, "the cancelled requests ended");
        var sentBeforeCrash = server.Requests;
        Assert.Equal(answeredBeforeCrash + 8, sentBeforeCrash);

        server.ReleaseHeld();
        server.ResetCounters();
        using var resumed = SqliteRunStore.Open(Path.Combine(crashDir, "store.db"));
        Assert.Equal(runId, resumed.Registry.BeginRun("config-sha", resume: true));
        Assert.Equal(storedBeforeCrash, resumed.Responses.CountAnswered(runId));
        await using (var runner = new CachingModelRunner(CreateRunner(server), resumed.Responses, runId))
        {
            await runner.PrepareAsync(plan, default);
            var results = await RunAllAsync(runner, plan, 8);
            Assert.Equal(reference.Select(Content), results.Select(Content));
        }

        // Only the items without a stored answer went out again (+1 probe: the loglikelihood method is re-detected).
        var missing = plan.Count - storedBeforeCrash;
        Assert.InRange(server.Requests, missing, missing + 1);
        Assert.True(sentBeforeCrash + server.Requests <= plan.Count + 2 + 8, "more requests than items plus those in flight at the crash");
        Assert.Equal(storedBeforeCrash, storedItems.Count);
        foreach (var body in server.Bodies)
        {
            var item = ItemOf(body);
            Assert.True(item is null || !storedItems.Contains(item), $"{item} was sent again after its answer was stored");
        }

        Assert.Equal(plan.Count, resumed.Responses.CountAnswered(runId));
        resumed.Registry.FinishRun(runId);
        Assert.True(resumed.Registry.GetRun(runId)!.Finished);
        Assert.Equal(1, resumed.Registry.GetRun(runId)!.ResumeCount);
        Assert.NotEqual(runId, resumed.Registry.BeginRun("config-sha", resume: true)); // a finished run is never resumed
    }

    /// <summary>The item a wire body belongs to ("Question 7:" is g7, "Case 3:" is l3); null for the capability probe.</summary>
    private static string? ItemOf(string body)
    {
        var m = System.Text.RegularExpressions.Regex.Match(body, @"(Question|Case) (\d+):");
        return !m.Success ? null : (m.Groups[1].Value == "Question" ? "g" : "l") + m.Groups[2].Value;
    }

    [Fact]
    public async Task The_api_key_never_reaches_the_store_files()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using (var store = SqliteRunStore.Open(StorePath))
        {
            var runId = store.Registry.BeginRun("cfg", resume: false);
            await using var runner = new CachingModelRunner(CreateRunner(server, extra: [("headers.X-Trace", "trace-1")]), store.Responses, runId);
            var plan = Plan(5, 3);
            await runner.PrepareAsync(plan, default);
            await RunAllAsync(runner, plan, 4);
            server.ForceStatus = 400;
            var failed = await runner.ExecuteAsync(Plan(6, 0)[5], default);
            Assert.DoesNotContain(SecretKey, failed.Error!.Message, StringComparison.Ordinal);
            store.Registry.FinishRun(runId);

            // Checked with the files as they are while open (WAL not yet merged) ...
            AssertNoKey(_dir);
        }

        // ... and after a clean close.
        SqliteConnection.ClearAllPools();
        AssertNoKey(_dir);
    }

    private static void AssertNoKey(string dir)
    {
        var needles = new[] { Encoding.UTF8.GetBytes(SecretKey), Encoding.Unicode.GetBytes(SecretKey), Encoding.UTF8.GetBytes(SecretKey[..16]) };
        foreach (var file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var ms = new MemoryStream())
            {
                stream.CopyTo(ms);
                bytes = ms.ToArray();
            }

            foreach (var needle in needles)
            {
                Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{file} contains the API key");
            }
        }
    }

    [Fact]
    public async Task Concurrent_puts_are_all_durable_once_their_tasks_complete()
    {
        const int n = 400;
        var store = SqliteRunStore.Open(StorePath);
        var runId = store.Registry.BeginRun("cfg", resume: false);
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var request = Request(i);
            var (key, hash) = CacheKeys.Compute(Identity, request);
            await store.Responses.PutResponseAsync(key, hash, Identity, request, Answer(i), runId, CancellationToken.None);

            // Readable at once (by the read connection) once the put completed.
            Assert.True(store.Responses.TryGetResponse(key, request, out var back));
            Assert.Equal("answer " + i, back.Text);
        });

        // No clean close: the files as they are now must hold every answer and every link.
        var crashed = CopyAsCrashed();
        store.Dispose();
        using var reopened = SqliteRunStore.Open(crashed);
        Assert.Equal(n, reopened.Responses.CachedResponseCount);
        Assert.Equal(n, reopened.Responses.CountAnswered(runId));
        for (var i = 0; i < n; i++)
        {
            Assert.True(reopened.Responses.TryGetResponse(CacheKeys.CacheKey(Identity, Request(i)), Request(i), out var back));
            Assert.Equal("answer " + i, back.Text);
            Assert.Equal(i, back.LatencyMs);
        }
    }

    [Fact]
    public async Task The_cache_key_scheme_is_unchanged_and_the_request_hash_stored_is_the_one_of_the_request()
    {
        using var store = SqliteRunStore.Open(StorePath);
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
        await store.Responses.PutResponseAsync(key, hash, Identity, request, Answer(1), null, CancellationToken.None);
        using var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT request_hash FROM responses";
        Assert.Equal(hash, cmd.ExecuteScalar());
    }

    [Fact]
    public async Task A_cancelled_wait_does_not_poison_the_others_and_its_answer_is_still_stored()
    {
        using var store = SqliteRunStore.Open(StorePath);

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
            return store.Responses.PutResponseAsync(key, hash, Identity, request, Answer(i), null, i == 3 ? cancelled.Token : CancellationToken.None);
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
        Assert.Equal(20, store.Responses.CachedResponseCount); // the cancelled caller stopped waiting; its answer was kept
    }

    [Fact]
    public async Task Reads_run_while_writes_are_committed()
    {
        using var store = SqliteRunStore.Open(StorePath);
        var seed = Request(-1);
        store.Responses.PutResponse(CacheKeys.CacheKey(Identity, seed), Identity, seed, Answer(-1));
        using var stop = new CancellationTokenSource();
        var reads = 0L;
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(() =>
        {
            for (var k = 0; k < 100_000 && !stop.IsCancellationRequested; k++)
            {
                Assert.True(store.Responses.TryGetResponse(CacheKeys.CacheKey(Identity, seed), seed, out _));
                Interlocked.Increment(ref reads);
            }
        })).ToArray();
        await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var request = Request(i);
            var (key, hash) = CacheKeys.Compute(Identity, request);
            await store.Responses.PutResponseAsync(key, hash, Identity, request, Answer(i), null, CancellationToken.None);
        });
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(Interlocked.Read(ref reads) > 0);
        Assert.Equal(301, store.Responses.CachedResponseCount);
    }
}
