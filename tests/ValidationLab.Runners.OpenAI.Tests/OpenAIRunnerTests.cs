using System.Text.Json;
using ValidationLab.Errors;
using ValidationLab.Requests;
using static ValidationLab.Runners.OpenAI.Tests.TestSupport;

namespace ValidationLab.Runners.OpenAI.Tests;

public sealed class OpenAIRunnerTests
{
    [Fact]
    public async Task Generate_answers_and_sends_the_decoding_parameters()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        await using var runner = CreateRunner(server, extra: [("price.input_per_1m", "2.5"), ("price.output_per_1m", "10"), ("headers.X-Trace", "abc")]);
        var request = new GenerateRequest
        {
            Suite = "s",
            ItemId = "1",
            Messages = [new ChatMessage("user", "Dose of amoxicillin?")],
            Decoding = new DecodingParameters { Temperature = 0.5, TopP = 0.9, MaxTokens = 33, Seed = 11, Stop = ["\n\n"] },
        };

        Assert.Empty(await runner.PrepareAsync([request], default));
        var response = await runner.ExecuteAsync(request, default);

        Assert.Null(response.Error);
        Assert.Equal(FakeOpenAIServer.ReplyFor("test-model", "Dose of amoxicillin?", 0.5), response.Text);
        Assert.Equal("chat", response.Method);
        Assert.True(response.LatencyMs > 0);
        Assert.Equal(new TokenUsage(5, 7, (5 * 2.5m / 1_000_000m) + (7 * 10m / 1_000_000m)), response.Usage);

        using var body = JsonDocument.Parse(Assert.Single(server.Bodies));
        var root = body.RootElement;
        Assert.Equal("test-model", root.GetProperty("model").GetString());
        Assert.Equal(0.5, root.GetProperty("temperature").GetDouble());
        Assert.Equal(0.9, root.GetProperty("top_p").GetDouble());
        Assert.Equal(33, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal(11, root.GetProperty("seed").GetInt32());
        Assert.Equal("\n\n", root.GetProperty("stop")[0].GetString());
        Assert.Equal("Bearer " + SecretKey + "|", Assert.Single(server.AuthHeaders));

        var counters = runner.GetCounters();
        Assert.Equal(1, counters.RequestsSent);
        Assert.Equal(5, counters.PromptTokens);
        Assert.Equal(7, counters.CompletionTokens);
        Assert.Equal(response.Usage!.Cost, counters.Cost);
    }

    [Fact]
    public async Task Azure_variant_sends_api_key_header_and_api_version()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        await using var runner = CreateRunner(server, extra: [("variant", "azure"), ("api_version", "2024-10-21")]);
        var response = await runner.ExecuteAsync(Plan(1, 0)[0], default);
        Assert.Null(response.Error);
        Assert.Equal("|" + SecretKey, Assert.Single(server.AuthHeaders));
    }

    [Fact]
    public async Task LogLikelihood_by_prompt_echo_sums_the_continuation_tokens()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        await using var runner = CreateRunner(server);
        var plan = Plan(0, 3);
        await runner.PrepareAsync(plan, default);
        var responses = await RunAllAsync(runner, plan, 4);

        foreach (var (request, response) in plan.Cast<LogLikelihoodRequest>().Zip(responses))
        {
            Assert.Null(response.Error);
            Assert.Equal("echo-logprobs", response.Method);
            var expected = request.Continuations.Select(c => ExpectedEcho(request.Context, c)).ToArray();
            Assert.Equal(expected.Length, response.LogLikelihoods!.Count);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], response.LogLikelihoods[i], 12);
            }
        }

        Assert.Equal(1 + 3, server.Requests); // one probe, then one request per item (all options in one call)
    }

    [Fact]
    public async Task LogLikelihood_falls_back_to_top_logprobs_when_the_server_has_no_echo()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.EchoSupported = false;
        await using var runner = CreateRunner(server);
        var plan = Plan(0, 1);
        await runner.PrepareAsync(plan, default);
        var response = await runner.ExecuteAsync(plan[0], default);

        Assert.Null(response.Error);
        Assert.Equal("top-logprobs", response.Method);

        // " A" matches "A"; " B" matches "B" and " B" (probabilities added); " C" matches "C"; " D" is absent.
        var ll = response.LogLikelihoods!;
        Assert.Equal(-1.5, ll[0], 12);
        Assert.Equal(Math.Log(Math.Exp(-0.25) + Math.Exp(-2.0)), ll[1], 12);
        Assert.Equal(-3.0, ll[2], 12);
        Assert.True(ll[3] < -100);
    }

    [Fact]
    public async Task LogLikelihood_is_a_configuration_error_when_the_server_offers_neither_method()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.EchoSupported = false;
        server.TopLogprobsSupported = false;
        await using var runner = CreateRunner(server);

        var error = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync(Plan(1, 1), default));
        Assert.Equal("loglikelihood_method", error.Field);
        Assert.Contains("does not offer", error.Message, StringComparison.Ordinal);

        // A generate-only plan needs no probe.
        server.ResetCounters();
        await using var generateOnly = CreateRunner(server);
        await generateOnly.PrepareAsync(Plan(2, 0), default);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Explicit_echo_method_is_refused_when_the_server_has_no_echo()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.EchoSupported = false;
        await using var runner = CreateRunner(server, extra: [("loglikelihood_method", "echo")]);
        var error = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync(Plan(0, 1), default));
        Assert.Contains("echo was asked for", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_with_30_percent_faults_completes_with_the_fault_free_answers()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var plan = Plan(60, 20);

        await using (var clean = CreateRunner(server))
        {
            await clean.PrepareAsync(plan, default);
            var expected = await RunAllAsync(clean, plan, 8);
            Assert.All(expected, r => Assert.Null(r.Error));

            server.ResetCounters();
            server.RetryAfter = "1";
            var random = new Random(1234);
            var kinds = new[] { Fault.RateLimited, Fault.ServerError, Fault.Unavailable, Fault.Slow, Fault.MalformedJson, Fault.ResetMidBody };
            var gate = new Lock();
            server.Faults = _ =>
            {
                lock (gate)
                {
                    return random.NextDouble() < 0.30 ? kinds[random.Next(kinds.Length)] : Fault.None;
                }
            };

            var observer = new RecordingObserver();
            // Slow faults never answer, so the per-attempt timeout fires for them whatever the machine's speed; it is
            // long enough that an ordinary answer on a loaded machine does not need it (and would only be retried).
            await using var faulted = CreateRunner(server, observer, ("timeout_seconds", "2"));
            await faulted.PrepareAsync(plan, default);
            var actual = await RunAllAsync(faulted, plan, 8);

            Assert.Equal(expected.Select(Content), actual.Select(Content));
            foreach (var kind in kinds)
            {
                Assert.True(server.FaultsInjected.GetValueOrDefault(kind) > 0, $"no {kind} fault was injected");
            }

            var counters = faulted.GetCounters();
            Assert.Equal(server.Requests, counters.RequestsSent);
            Assert.Equal(0, counters.FailedRequests);
            Assert.True(counters.Retries >= server.FaultsInjected.Values.Sum(), $"{counters.Retries} retries for {server.FaultsInjected.Values.Sum()} faults");
            Assert.Equal(counters.Retries, observer.RetryCount);
            Assert.Contains(observer.Events, e => e.Contains("http_429", StringComparison.Ordinal) && e.Contains("after 1000 ms", StringComparison.Ordinal));
            Assert.Contains(observer.Events, e => e.Contains("timeout", StringComparison.Ordinal));
            Assert.Contains(observer.Events, e => e.Contains("malformed_response", StringComparison.Ordinal));
            Assert.Contains(observer.Events, e => e.Contains("connection", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Max_concurrency_is_never_exceeded()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        await using var runner = CreateRunner(server, extra: [("max_concurrency", "3")]);
        var plan = Plan(40, 0);

        // The caller asks for far more parallelism than the runner allows. The server holds the first three requests
        // until all three are inside it, so the limit is certainly reached; anything beyond it would arrive meanwhile.
        server.Hold(r => r.Number <= 3);
        var running = RunAllAsync(runner, plan, 32);
        await server.WaitUntilAsync(s => s.Held == 3, "three requests held");
        server.ReleaseHeld();
        var responses = await running;

        Assert.All(responses, r => Assert.Null(r.Error));
        Assert.Equal(40, server.Requests);
        Assert.Equal(3, server.MaxInFlight);
    }

    [Fact]
    public async Task Exhausted_retries_give_an_error_response_with_the_reason()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Faults = _ => Fault.Unavailable;
        var observer = new RecordingObserver();
        await using var runner = CreateRunner(server, observer, ("max_retries", "2"));

        var response = await runner.ExecuteAsync(Plan(1, 0)[0], default);

        Assert.True(response.IsError);
        Assert.Equal("http_503", response.Error!.Kind);
        Assert.Contains("gave up after 3 attempts", response.Error.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests);
        Assert.Equal(2, observer.RetryCount);
        Assert.Equal(1, runner.GetCounters().FailedRequests);
    }

    [Fact]
    public async Task Timeouts_are_retried_then_reported()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Faults = _ => Fault.Slow; // never answers: the timeout fires whatever the machine's speed
        await using var runner = CreateRunner(server, extra: [("max_retries", "1"), ("timeout_seconds", "0.3")]);

        var response = await runner.ExecuteAsync(Plan(1, 0)[0], default);

        Assert.Equal("timeout", response.Error!.Kind);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Client_errors_are_not_retried_and_never_show_the_key()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.ForceStatus = 400; // the body echoes every request header, Authorization included
        var observer = new RecordingObserver();
        await using var runner = CreateRunner(server, observer);

        var response = await runner.ExecuteAsync(Plan(1, 0)[0], default);

        Assert.Equal("http_400", response.Error!.Kind);
        Assert.Equal(1, server.Requests);
        Assert.Contains("[redacted]", response.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, response.Error.Message, StringComparison.Ordinal);

        server.ForceStatus = 500;
        var retried = await runner.ExecuteAsync(Plan(1, 0)[0], default);
        Assert.Equal("http_500", retried.Error!.Kind);
        Assert.DoesNotContain(SecretKey, retried.Error.Message, StringComparison.Ordinal);
        Assert.All(observer.Events, e => Assert.DoesNotContain(SecretKey, e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_per_minute_limit_holds_a_request_back_and_reports_the_wait()
    {
        // One request per minute: the second must wait about a minute for its turn. The test waits for the runner's
        // own "waiting" report (an event, not a clock), checks that the request has not gone out, and cancels it.
        await using var server = await FakeOpenAIServer.StartAsync();
        var observer = new RecordingObserver();
        await using var runner = CreateRunner(server, observer, ("requests_per_minute", "1"));
        var plan = Plan(2, 0);

        Assert.Null((await runner.ExecuteAsync(plan[0], default)).Error);
        Assert.Equal(1, server.Requests);

        using var cancel = new CancellationTokenSource();
        var second = runner.ExecuteAsync(plan[1], cancel.Token);
        var waiting = await observer.WaitForAsync(e => e.StartsWith("status waiting", StringComparison.Ordinal) && e.Contains("requests_per_minute", StringComparison.Ordinal));
        Assert.False(second.IsCompleted, "the second request did not wait for the limit");
        Assert.Equal(1, server.Requests);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.Equal(1, server.Requests);
        Assert.Contains("requests_per_minute", waiting, StringComparison.Ordinal);
    }

    [Fact]
    public void A_literal_api_key_in_the_config_is_refused()
    {
        var settings = new RunnerSettings
        {
            Name = "openai",
            Origin = "run.yaml",
            Options = new Dictionary<string, string> { ["base_url"] = "http://127.0.0.1:1/v1", ["model"] = "m", ["api_key"] = SecretKey },
        };

        var error = Assert.Throws<InputException>(() => new OpenAIRunnerFactory().Create(settings));
        Assert.Equal("api_key", error.Field);
        Assert.Contains("api_key_env", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, error.Describe(), StringComparison.Ordinal);
        Assert.Contains("api_key", new OpenAIRunnerFactory().OptionKeys);
    }

    [Fact]
    public async Task A_missing_key_variable_is_an_input_error_naming_the_variable_when_the_runner_is_created()
    {
        // Refused with the other settings, before any data is read or the run store is opened.
        await using var server = await FakeOpenAIServer.StartAsync();
        var error = Assert.Throws<InputException>(() => CreateRunner(server, extra: [("api_key_env", "VALIDATIONLAB_TEST_UNSET_VARIABLE")]));
        Assert.Contains("VALIDATIONLAB_TEST_UNSET_VARIABLE", error.Message, StringComparison.Ordinal);
        Assert.Equal("api_key_env", error.Field);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public void Fingerprint_follows_answer_settings_only_and_never_holds_the_key()
    {
        static RunnerIdentity Identity(params (string, string)[] extra)
        {
            var options = new Dictionary<string, string> { ["base_url"] = "http://127.0.0.1:9/v1", ["model"] = "m1", ["api_key_env"] = KeyEnv };
            foreach (var (k, v) in extra)
            {
                options[k] = v;
            }

            var runner = new OpenAIRunnerFactory().Create(new RunnerSettings { Name = "openai", Options = options });
            return runner.Identity;
        }

        var a = Identity();
        Assert.Equal(a, Identity(("max_concurrency", "64"), ("requests_per_minute", "100"), ("max_retries", "1")));
        Assert.NotEqual(a.Fingerprint, Identity(("model", "m2")).Fingerprint);
        Assert.NotEqual(a.Fingerprint, Identity(("base_url", "http://127.0.0.1:10/v1")).Fingerprint);
        Assert.NotEqual(a.Fingerprint, Identity(("loglikelihood_method", "echo")).Fingerprint);
        Assert.Equal("http://127.0.0.1:9/v1", a.Source);
        Assert.DoesNotContain(SecretKey, a.ToString() + a.Fingerprint + a.Source, StringComparison.Ordinal);
    }
}
