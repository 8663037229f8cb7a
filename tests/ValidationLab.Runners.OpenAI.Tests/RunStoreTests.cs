using System.Text;
using Microsoft.Data.Sqlite;
using ValidationLab.Errors;
using ValidationLab.Requests;
using ValidationLab.Store;
using static ValidationLab.Runners.OpenAI.Tests.TestSupport;

namespace ValidationLab.Runners.OpenAI.Tests;

public sealed class RunStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vl-store-" + Guid.NewGuid().ToString("N"));

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

    private static string Full(ModelResponse r) => Content(r) + "|" + r.LatencyMs.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_second_run_of_the_same_config_sends_no_request_and_gives_identical_results()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var plan = Plan(20, 10);
        ModelResponse[] first;
        using (var store = RunStore.Open(StorePath))
        {
            await using var runner = new CachingModelRunner(CreateRunner(server), store);
            await runner.PrepareAsync(plan, default);
            first = await RunAllAsync(runner, plan, 8);
            Assert.Equal(1 + 30, server.Requests); // probe + one per request
            Assert.Equal(30, store.CachedResponseCount);
        }

        server.ResetCounters();
        using (var store = RunStore.Open(StorePath))
        {
            await using var runner = new CachingModelRunner(CreateRunner(server), store);
            await runner.PrepareAsync(plan, default);
            var second = await RunAllAsync(runner, plan, 8);
            Assert.Equal(0, server.Requests);
            Assert.Equal(first.Select(Full), second.Select(Full));
            Assert.Equal(30, runner.CacheHits);
            var counters = runner.GetCounters();
            Assert.Equal(30, counters.CacheHits);
            Assert.Equal(0, counters.RequestsSent);
        }
    }

    [Fact]
    public async Task Entries_are_never_served_across_models_endpoints_or_decoding_settings()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var store = RunStore.Open(StorePath);
        var plan = Plan(5, 0);
        await using (var runner = new CachingModelRunner(CreateRunner(server), store))
        {
            await RunAllAsync(runner, plan, 4);
        }

        Assert.Equal(5, server.Requests);

        // Another model: every request goes out again and the answers are that model's.
        server.ResetCounters();
        await using (var other = new CachingModelRunner(CreateRunner(server, extra: [("model", "other-model")]), store))
        {
            var answers = await RunAllAsync(other, plan, 4);
            Assert.Equal(5, server.Requests);
            Assert.All(answers, a => Assert.StartsWith("other-model says", a.Text, StringComparison.Ordinal));
        }

        // Another temperature: sent again.
        server.ResetCounters();
        var warmer = plan.Cast<GenerateRequest>().Select(r => r with { Decoding = r.Decoding with { Temperature = 0.7 } }).ToList<ModelRequest>();
        await using (var runner = new CachingModelRunner(CreateRunner(server), store))
        {
            var answers = await RunAllAsync(runner, warmer, 4);
            Assert.Equal(5, server.Requests);
            Assert.All(answers, a => Assert.EndsWith("t=0.7", a.Text, StringComparison.Ordinal));
        }

        // Another seed or max_tokens: sent again.
        server.ResetCounters();
        var seeded = plan.Cast<GenerateRequest>().Select(r => r with { Decoding = r.Decoding with { Seed = 8 } }).ToList<ModelRequest>();
        await using (var runner = new CachingModelRunner(CreateRunner(server), store))
        {
            await RunAllAsync(runner, seeded, 4);
            Assert.Equal(5, server.Requests);
        }

        // The same settings again: nothing sent, whatever the throughput settings.
        server.ResetCounters();
        await using (var runner = new CachingModelRunner(CreateRunner(server, extra: [("max_concurrency", "2"), ("max_retries", "0")]), store))
        {
            await RunAllAsync(runner, plan, 4);
            Assert.Equal(0, server.Requests);
        }
    }

    [Fact]
    public async Task Errors_are_not_cached()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var store = RunStore.Open(StorePath);
        await using var runner = new CachingModelRunner(CreateRunner(server, extra: [("max_retries", "0")]), store);
        var request = Plan(1, 0)[0];

        server.ForceStatus = 400;
        Assert.True((await runner.ExecuteAsync(request, default)).IsError);
        server.ForceStatus = null;
        var retried = await runner.ExecuteAsync(request, default);
        Assert.Null(retried.Error);
        Assert.Equal(2, server.Requests);
        Assert.Equal(1, store.CachedResponseCount);
    }

    [Fact]
    public async Task Identical_requests_in_flight_at_once_are_sent_once()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var store = RunStore.Open(StorePath);
        await using var runner = new CachingModelRunner(CreateRunner(server), store);
        var same = Enumerable.Range(0, 12).Select(i => (ModelRequest)new GenerateRequest
        {
            Suite = "s",
            ItemId = $"dup{i}",
            Messages = [new ChatMessage("user", "the same question")],
        }).ToList();

        // The first request is held inside the server while all twelve calls are made (each registers before its
        // first await), so the other eleven certainly find it in flight.
        server.Hold(_ => true);
        var calls = same.Select(r => runner.ExecuteAsync(r, default)).ToList();
        await server.WaitUntilAsync(s => s.Held == 1, "the first request held");
        server.ReleaseHeld();
        var answers = await Task.WhenAll(calls);

        Assert.Equal(1, server.Requests);
        Assert.Equal(same.Select(r => r.ItemId), answers.Select(a => a.ItemId));
        Assert.Single(answers.Select(a => a.Text).Distinct());
        Assert.Equal(11, runner.CacheHits);
    }

    [Fact]
    public async Task A_run_killed_midway_resumes_without_losing_or_resending_stored_items()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var plan = Plan(40, 20);

        // The reference: an uninterrupted run against a separate store.
        ModelResponse[] reference;
        using (var refStore = RunStore.Open(Path.Combine(_dir, "reference.db")))
        {
            await using var runner = new CachingModelRunner(CreateRunner(server), refStore);
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
        var first = RunStore.Open(StorePath);
        {
            runId = first.BeginRun("config-sha", resume: false);
            var runner = new CachingModelRunner(CreateRunner(server), first, runId);
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

            storedBeforeCrash = first.CachedResponseCount;
            storedItems = plan.Where(r => first.Contains(CacheKeys.CacheKey(runner.Identity, r))).Select(r => r.ItemId).ToHashSet();
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
        using var resumed = RunStore.Open(Path.Combine(crashDir, "store.db"));
        Assert.Equal(runId, resumed.BeginRun("config-sha", resume: true));
        Assert.Equal(storedBeforeCrash, resumed.CountAnswered(runId));
        await using (var runner = new CachingModelRunner(CreateRunner(server), resumed, runId))
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

        Assert.Equal(plan.Count, resumed.CountAnswered(runId));
        resumed.FinishRun(runId);
        Assert.True(resumed.GetRun(runId)!.Finished);
        Assert.Equal(1, resumed.GetRun(runId)!.ResumeCount);
        Assert.NotEqual(runId, resumed.BeginRun("config-sha", resume: true)); // a finished run is never resumed
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
        using (var store = RunStore.Open(StorePath))
        {
            var runId = store.BeginRun("cfg", resume: false);
            await using var runner = new CachingModelRunner(CreateRunner(server, extra: [("headers.X-Trace", "trace-1")]), store, runId);
            var plan = Plan(5, 3);
            await runner.PrepareAsync(plan, default);
            await RunAllAsync(runner, plan, 4);
            server.ForceStatus = 400;
            var failed = await runner.ExecuteAsync(Plan(6, 0)[5], default);
            Assert.DoesNotContain(SecretKey, failed.Error!.Message, StringComparison.Ordinal);
            store.FinishRun(runId);

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
    public void Runs_resume_only_unfinished_runs_of_the_same_config()
    {
        using var store = RunStore.Open(StorePath);
        var a = store.BeginRun("cfg-a", resume: false);
        Assert.Equal(a, store.BeginRun("cfg-a", resume: true));
        Assert.Equal(a, store.FindUnfinishedRun("cfg-a"));
        Assert.Null(store.FindUnfinishedRun("cfg-b"));
        var b = store.BeginRun("cfg-b", resume: true); // nothing to resume: a new run
        Assert.NotEqual(a, b);
        var a2 = store.BeginRun("cfg-a", resume: false);
        Assert.NotEqual(a, a2);
        Assert.Equal(a2, store.BeginRun("cfg-a", resume: true)); // the latest unfinished one
        store.FinishRun(a2);
        Assert.Equal(a, store.BeginRun("cfg-a", resume: true));
    }

    [Fact]
    public void The_store_is_versioned_and_refuses_a_newer_schema()
    {
        using (var store = RunStore.Open(StorePath))
        {
            Assert.Equal(0, store.CachedResponseCount);
        }

        using (var c = new SqliteConnection($"Data Source={StorePath};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", cmd.ExecuteScalar());
            cmd.CommandText = "PRAGMA user_version";
            Assert.Equal(StoreSchema.Current, Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
            cmd.CommandText = "PRAGMA user_version = 99";
            cmd.ExecuteNonQuery();
        }

        var error = Assert.Throws<InputException>(() => RunStore.Open(StorePath));
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stored_answers_round_trip_exactly()
    {
        using var store = RunStore.Open(StorePath);
        var identity = new RunnerIdentity { Runner = "openai", Model = "m", Source = "http://x/v1", Fingerprint = "f" };
        var request = new LogLikelihoodRequest { Suite = "s", ItemId = "1", Context = "c", Continuations = ["a", "b", "c"] };
        var response = new ModelResponse
        {
            Suite = "s",
            ItemId = "1",
            LogLikelihoods = [-0.1 / 3, double.NegativeInfinity, -1e-300],
            Probability = 0.123456789012345678,
            LatencyMs = 12.345678901234,
            Usage = new TokenUsage(10, 1, 0.0000123m),
            Method = "echo-logprobs",
        };
        var key = CacheKeys.CacheKey(identity, request);
        store.PutResponse(key, identity, request, response);

        var other = request with { Suite = "t", ItemId = "9", RequestId = "2" };
        Assert.Equal(key, CacheKeys.CacheKey(identity, other)); // ids are not content
        Assert.True(store.TryGetResponse(key, other, out var back));
        Assert.Equal(("t", "9", "2"), (back.Suite, back.ItemId, back.RequestId));
        Assert.Equal(response.LogLikelihoods, back.LogLikelihoods);
        Assert.Equal(response.Probability, back.Probability);
        Assert.Equal(response.LatencyMs, back.LatencyMs);
        Assert.Equal(response.Usage, back.Usage);
        Assert.Equal(response.Method, back.Method);
        Assert.Null(back.Text);

        Assert.NotEqual(key, CacheKeys.CacheKey(identity with { Model = "m2" }, request));
        Assert.NotEqual(key, CacheKeys.CacheKey(identity with { Fingerprint = "g" }, request));
        Assert.NotEqual(key, CacheKeys.CacheKey(identity with { Source = "http://y/v1" }, request));
    }
}
