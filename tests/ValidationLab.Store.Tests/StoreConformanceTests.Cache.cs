using System.Globalization;
using ValidationLab.Requests;
using ValidationLab.Runners;
using static ValidationLab.Runners.OpenAI.Tests.TestSupport;

namespace ValidationLab.Store.Tests;

// The response cache: round trip, durability on return, errors never cached, first answer wins, and the cache behind
// the real OpenAI runner (moved from the OpenAI runner tests' RunStoreTests and GroupCommitTests).
public abstract partial class StoreConformanceTests
{
    private static string Full(ModelResponse r) => Content(r) + "|" + r.LatencyMs.ToString("R", CultureInfo.InvariantCulture);

    [StoreFact]
    public void Stored_answers_round_trip_exactly()
    {
        using var store = Open();
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
        store.Responses.PutResponse(key, identity, request, response);

        var other = request with { Suite = "t", ItemId = "9", RequestId = "2" };
        Assert.Equal(key, CacheKeys.CacheKey(identity, other)); // ids are not content
        Assert.True(store.Responses.TryGetResponse(key, other, out var back));
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

    [StoreFact]
    public async Task Concurrent_puts_are_committed_when_their_tasks_complete()
    {
        const int n = 400;
        using var store = Open();
        var runId = store.Registry.BeginRun("cfg", resume: false);
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            await Put(store.Responses, i, runId);

            // Readable at once once the put completed.
            Assert.True(store.Responses.TryGetResponse(CacheKeys.CacheKey(Identity, Request(i)), Request(i), out var back));
            Assert.Equal("answer " + i, back.Text);
        });

        // Another instance (another process, as far as the store can tell) sees every answer and link now, while the
        // writer is still open: nothing was waiting for a later flush or a clean close.
        using var other = Open();
        Assert.Equal(n, other.Responses.CachedResponseCount);
        Assert.Equal(n, other.Responses.CountAnswered(runId));
        for (var i = 0; i < n; i++)
        {
            Assert.True(other.Responses.TryGetResponse(CacheKeys.CacheKey(Identity, Request(i)), Request(i), out var back));
            Assert.Equal("answer " + i, back.Text);
            Assert.Equal(i, back.LatencyMs);
        }
    }

    [StoreFact]
    public async Task A_failed_response_is_never_stored()
    {
        using var store = Open();
        var request = Request(1);
        var (key, hash) = CacheKeys.Compute(Identity, request);
        await store.Responses.PutResponseAsync(key, hash, Identity, request, ModelResponse.Failed(request, "http_500", "boom"), null, CancellationToken.None);
        Assert.False(store.Responses.Contains(key));
        Assert.Equal(0, store.Responses.CachedResponseCount);
    }

    [StoreFact]
    public async Task The_first_answer_stored_under_a_key_wins_in_every_instance()
    {
        using var first = Open();
        using var second = Open();
        await Put(first.Responses, 1, text: "first ");
        await Put(second.Responses, 1, text: "second ");
        foreach (var store in new[] { first, second })
        {
            Assert.True(store.Responses.TryGetResponse(CacheKeys.CacheKey(Identity, Request(1)), Request(1), out var back));
            Assert.Equal("first 1", back.Text);
        }

        Assert.Equal(1, second.Responses.CachedResponseCount);
    }

    [StoreFact]
    public async Task A_failing_row_fails_only_its_own_put()
    {
        using var store = Open();
        var poisoned = CacheKeys.CacheKey(Identity, Request(7));
        PoisonResponse(poisoned);

        // Enqueued together so that they share batches with the poisoned row.
        var puts = Enumerable.Range(0, 50).Select(i => Put(store.Responses, i)).ToArray();

        await Assert.ThrowsAnyAsync<Exception>(() => puts[7]);
        for (var i = 0; i < puts.Length; i++)
        {
            if (i != 7)
            {
                await puts[i];
                Assert.True(store.Responses.Contains(CacheKeys.CacheKey(Identity, Request(i))), $"answer {i} lost");
            }
        }

        Assert.False(store.Responses.Contains(poisoned));
        Assert.Equal(49, store.Responses.CachedResponseCount);

        // The writer survives: later puts still commit.
        await Put(store.Responses, 100);
        Assert.Equal(50, store.Responses.CachedResponseCount);
    }

    [StoreFact]
    public async Task Dispose_commits_every_pending_put_and_later_puts_are_refused()
    {
        var store = Open();
        var puts = Enumerable.Range(0, 200).Select(i => Put(store.Responses, i)).ToArray();
        store.Dispose();
        await Task.WhenAll(puts); // all completed, none failed
        Assert.Throws<ObjectDisposedException>(() => store.Responses.PutResponse("k", Identity, Request(1), Answer(1)));
        store.Dispose(); // twice is fine

        using var reopened = Open();
        Assert.Equal(200, reopened.Responses.CachedResponseCount);
    }

    [StoreFact]
    public async Task A_second_run_of_the_same_config_sends_no_request_and_gives_identical_results()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var plan = Plan(20, 10);
        ModelResponse[] first;
        using (var store = Open())
        {
            await using var runner = new CachingModelRunner(CreateRunner(server), store.Responses);
            await runner.PrepareAsync(plan, default);
            first = await RunAllAsync(runner, plan, 8);
            Assert.Equal(1 + 30, server.Requests); // probe + one per request
            Assert.Equal(30, store.Responses.CachedResponseCount);
        }

        server.ResetCounters();
        using (var store = Open())
        {
            await using var runner = new CachingModelRunner(CreateRunner(server), store.Responses);
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

    [StoreFact]
    public async Task Entries_are_never_served_across_models_endpoints_or_decoding_settings()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var store = Open();
        var plan = Plan(5, 0);
        await using (var runner = new CachingModelRunner(CreateRunner(server), store.Responses))
        {
            await RunAllAsync(runner, plan, 4);
        }

        Assert.Equal(5, server.Requests);

        // Another model: every request goes out again and the answers are that model's.
        server.ResetCounters();
        await using (var other = new CachingModelRunner(CreateRunner(server, extra: [("model", "other-model")]), store.Responses))
        {
            var answers = await RunAllAsync(other, plan, 4);
            Assert.Equal(5, server.Requests);
            Assert.All(answers, a => Assert.StartsWith("other-model says", a.Text, StringComparison.Ordinal));
        }

        // Another temperature: sent again.
        server.ResetCounters();
        var warmer = plan.Cast<GenerateRequest>().Select(r => r with { Decoding = r.Decoding with { Temperature = 0.7 } }).ToList<ModelRequest>();
        await using (var runner = new CachingModelRunner(CreateRunner(server), store.Responses))
        {
            var answers = await RunAllAsync(runner, warmer, 4);
            Assert.Equal(5, server.Requests);
            Assert.All(answers, a => Assert.EndsWith("t=0.7", a.Text, StringComparison.Ordinal));
        }

        // The same settings again: nothing sent, whatever the throughput settings.
        server.ResetCounters();
        await using (var runner = new CachingModelRunner(CreateRunner(server, extra: [("max_concurrency", "2"), ("max_retries", "0")]), store.Responses))
        {
            await RunAllAsync(runner, plan, 4);
            Assert.Equal(0, server.Requests);
        }
    }

    [StoreFact]
    public async Task Errors_from_the_endpoint_are_not_cached()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var store = Open();
        await using var runner = new CachingModelRunner(CreateRunner(server, extra: [("max_retries", "0")]), store.Responses);
        var request = Plan(1, 0)[0];

        server.ForceStatus = 400;
        Assert.True((await runner.ExecuteAsync(request, default)).IsError);
        server.ForceStatus = null;
        var retried = await runner.ExecuteAsync(request, default);
        Assert.Null(retried.Error);
        Assert.Equal(2, server.Requests);
        Assert.Equal(1, store.Responses.CachedResponseCount);
    }

    [StoreFact]
    public async Task Identical_requests_in_flight_at_once_are_sent_once()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var store = Open();
        await using var runner = new CachingModelRunner(CreateRunner(server), store.Responses);
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
}
