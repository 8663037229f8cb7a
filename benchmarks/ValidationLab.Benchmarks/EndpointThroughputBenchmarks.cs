using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Runners.OpenAI;
using ValidationLab.Store;

namespace ValidationLab.Benchmarks;

/// <summary>
/// Endpoint runner overhead (docs/benchmarks.md, "## Endpoint runner"): requests per second through
/// <see cref="OpenAIRunner"/> against a bare <see cref="HttpClient"/> loop posting the same chat body, both at the
/// same concurrency, against a loopback server that answers instantly. One invocation = <see cref="Requests"/>
/// requests, so the Op/s column is requests (items) per second.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class EndpointThroughputBenchmarks
{
    public const int Requests = 2000;

    private LoopbackInstantServer _server = null!;
    private HttpClient _http = null!;
    private byte[] _body = [];
    private OpenAIRunner _runner = null!;
    private CachingModelRunner _cached = null!;
    private RunStore _store = null!;
    private string _storeDir = "";
    private GenerateRequest[] _requests = [];
    private long _unique;

    [Params(16)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _server = new LoopbackInstantServer();
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { Timeout = Timeout.InfiniteTimeSpan };
        var settings = new RunnerSettings
        {
            Name = "openai",
            Options = new Dictionary<string, string>
            {
                ["base_url"] = _server.BaseUrl.ToString(),
                ["model"] = "bench",
                ["max_concurrency"] = Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        _runner = (OpenAIRunner)new OpenAIRunnerFactory().Create(settings);
        _requests = Enumerable.Range(0, Requests).Select(i => new GenerateRequest
        {
            Suite = "bench",
            ItemId = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Messages = [new ChatMessage("system", "You are a careful clinician."), new ChatMessage("user", "A 64-year-old with fever and rash. Which drug? A) x B) y C) z D) w. Answer:")],
            Decoding = new DecodingParameters { Temperature = 0, MaxTokens = 8 },
        }).ToArray();

        // The bare loop sends exactly the body the runner would send.
        _body = System.Text.Encoding.UTF8.GetBytes(
            "{\"model\":\"bench\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a careful clinician.\"},{\"role\":\"user\",\"content\":\"A 64-year-old with fever and rash. Which drug? A) x B) y C) z D) w. Answer:\"}],\"temperature\":0,\"max_tokens\":8,\"seed\":0,\"stream\":false}");

        _storeDir = Path.Combine(Path.GetTempPath(), "vl-bench-" + Guid.NewGuid().ToString("N"));
        _store = RunStore.Open(Path.Combine(_storeDir, "store.db"));
        var cachedInner = new OpenAIRunnerFactory().Create(settings);
        _cached = new CachingModelRunner(cachedInner, _store);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runner.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _cached.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.Dispose();
        _http.Dispose();
        _server.Dispose();
        try
        {
            Directory.Delete(_storeDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The ceiling: POST the body, read the answer bytes, nothing else.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public Task BareHttpClient() => Workers(async _ =>
    {
        using var content = new ByteArrayContent(_body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var reply = await _http.PostAsync(_server.BaseUrl + "/chat/completions", content);
        reply.EnsureSuccessStatusCode();
        await reply.Content.ReadAsByteArrayAsync();
    });

    /// <summary>The runner: body writing, concurrency gate, Polly retry pipeline, timeout, parsing, accounting.</summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public Task Runner() => Workers(async i =>
    {
        var response = await _runner.ExecuteAsync(_requests[i], default);
        if (response.IsError)
        {
            throw new InvalidOperationException(response.Error!.Message);
        }
    });

    /// <summary>The runner behind the response cache, every request a miss (unique prompt): adds one SQLite commit per answer.</summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public Task RunnerWithCacheMisses() => Workers(async i =>
    {
        var n = Interlocked.Increment(ref _unique);
        var request = _requests[i] with { Messages = [_requests[i].Messages[0], new ChatMessage("user", _requests[i].Messages[1].Content + " #" + n.ToString(System.Globalization.CultureInfo.InvariantCulture))] };
        var response = await _cached.ExecuteAsync(request, default);
        if (response.IsError)
        {
            throw new InvalidOperationException(response.Error!.Message);
        }
    });

    /// <summary><see cref="Concurrency"/> workers pulling request numbers until <see cref="Requests"/> are done.</summary>
    private async Task Workers(Func<int, Task> send)
    {
        var next = -1;
        var workers = new Task[Concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Requests)
                {
                    await send(i);
                }
            });
        }

        await Task.WhenAll(workers);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
