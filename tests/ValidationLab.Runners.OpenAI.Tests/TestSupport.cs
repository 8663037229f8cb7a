using System.Collections.Concurrent;
using System.Globalization;
using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI.Tests;

internal sealed class RecordingObserver : IRunObserver
{
    private readonly Lock _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    public ConcurrentQueue<string> Events { get; } = new();

    /// <summary>The first event (already seen or still to come) matching <paramref name="match"/>; fails after the fake server's hang guard.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (Events.FirstOrDefault(match) is { } seen)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((match, done));
        }

        return done.Task.WaitAsync(FakeOpenAIServer.HangGuard);
    }

    private void Add(string e)
    {
        lock (_gate)
        {
            Events.Enqueue(e);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(e))
                {
                    _waiters[i].Done.TrySetResult(e);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public int RetryCount => Events.Count(e => e.StartsWith("retry", StringComparison.Ordinal));

    public void Retrying(string itemId, int attempt, TimeSpan delay, string reason) =>
        Add(string.Create(CultureInfo.InvariantCulture, $"retry {itemId} #{attempt} after {delay.TotalMilliseconds:0} ms: {reason}"));

    public void Status(string message) => Add("status " + message);
}

internal static class TestSupport
{
    /// <summary>A key-looking secret unique to the test process; must never appear in anything written.</summary>
    public const string SecretKey = "sk-test-7f3a9c2e51b84d06a1e2c3d4secret";

    public const string KeyEnv = "VALIDATIONLAB_TEST_OPENAI_KEY";

    static TestSupport() => Environment.SetEnvironmentVariable(KeyEnv, SecretKey);

    public static RunnerSettings Settings(FakeOpenAIServer server, IRunObserver? observer = null, params (string Key, string Value)[] extra)
    {
        var options = new Dictionary<string, string>
        {
            ["base_url"] = server.BaseUrl.ToString(),
            ["model"] = "test-model",
            ["api_key_env"] = KeyEnv,
            ["max_concurrency"] = "8",
            ["timeout_seconds"] = "60", // never meant to fire; tests about timeouts set their own
            ["max_retries"] = "8",
            ["retry_base_delay_seconds"] = "0.02",
            ["retry_max_delay_seconds"] = "0.2",
        };
        foreach (var (k, v) in extra)
        {
            options[k] = v;
        }

        return new RunnerSettings { Name = "openai", Options = options, Origin = "test.yaml", Seed = 42, Observer = observer ?? NullRunObserver.Instance };
    }

    public static OpenAIRunner CreateRunner(FakeOpenAIServer server, IRunObserver? observer = null, params (string Key, string Value)[] extra) =>
        (OpenAIRunner)new OpenAIRunnerFactory().Create(Settings(server, observer, extra));

    public static List<ModelRequest> Plan(int generate, int loglikelihood, string suite = "s")
    {
        var plan = new List<ModelRequest>();
        for (var i = 0; i < generate; i++)
        {
            plan.Add(new GenerateRequest
            {
                Suite = suite,
                ItemId = $"g{i}",
                Messages = [new ChatMessage("system", "You are a clinician."), new ChatMessage("user", $"Question {i}: what is the dose?")],
                Decoding = new DecodingParameters { Temperature = 0, MaxTokens = 64, Seed = 7 },
            });
        }

        for (var i = 0; i < loglikelihood; i++)
        {
            plan.Add(new LogLikelihoodRequest
            {
                Suite = suite,
                ItemId = $"l{i}",
                Context = $"Case {i}: fever and rash. Answer:",
                Continuations = [" A", " B", " C", " D"],
            });
        }

        return plan;
    }

    /// <summary>Runs every request with the pipeline's pattern: at most <paramref name="parallel"/> at once.</summary>
    public static async Task<ModelResponse[]> RunAllAsync(IModelRunner runner, IReadOnlyList<ModelRequest> plan, int parallel, CancellationToken ct = default)
    {
        var results = new ModelResponse[plan.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count), new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (i, token) =>
        {
            results[i] = await runner.ExecuteAsync(plan[i], token);
        });
        return results;
    }

    /// <summary>The answer-carrying content of a response (what scoring sees), latency left out.</summary>
    public static string Content(ModelResponse r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Suite}/{r.ItemId}/{r.RequestId}|{r.Text}|{(r.LogLikelihoods is null ? "" : string.Join(",", r.LogLikelihoods.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))}|{r.Usage}|{r.Method}|{r.Error}");

    /// <summary>The expected echo log-likelihood of a continuation from the server's per-character logprobs.</summary>
    public static double ExpectedEcho(string context, string continuation)
    {
        var full = context + continuation;
        double sum = 0;
        for (var j = context.Length; j < full.Length; j++)
        {
            sum += FakeOpenAIServer.CharLogprob(full[j], j);
        }

        return sum;
    }
}
