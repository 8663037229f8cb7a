using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Runners.OpenAI;
using ValidationLab.Store;

namespace ValidationLab.Benchmarks;

/// <summary>
/// The four endpoint workloads compared in docs/benchmarks.md ("## Endpoint runner"), shared by the BenchmarkDotNet
/// class and the Stopwatch quick comparison. Each call runs <see cref="Requests"/> requests through
/// <see cref="Concurrency"/> workers against one <see cref="LoopbackInstantServer"/>.
/// </summary>
public sealed class EndpointWorkloads : IDisposable
{
    private readonly LoopbackInstantServer _server;
    private readonly HttpClient _http;
    private readonly Uri _chatUri;
    private readonly OpenAIRunner _runner;
    private readonly CachingModelRunner _cached;
    private readonly IRunStore _store;
    private readonly string _storeDir;
    private readonly GenerateRequest[] _requests;
    private readonly ChatCompletionRequest[] _bareRequests;
    private long _unique;

    public EndpointWorkloads(int concurrency, int requests, TimeSpan serverDelay = default)
    {
        Concurrency = concurrency;
        Requests = requests;
        _server = new LoopbackInstantServer(serverDelay);
        _chatUri = new Uri(_server.BaseUrl + "/chat/completions");

        // Exactly the handler settings OpenAIRunner builds for itself (timeout 120 s, max_concurrency = concurrency).
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(120),
            AutomaticDecompression = DecompressionMethods.All,
            MaxConnectionsPerServer = concurrency,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

        var settings = new RunnerSettings
        {
            Name = "openai",
            Options = new Dictionary<string, string>
            {
                ["base_url"] = _server.BaseUrl.ToString(),
                ["model"] = "bench",
                ["max_concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            },
        };
        _runner = (OpenAIRunner)new OpenAIRunnerFactory().Create(settings);
        _requests = Enumerable.Range(0, requests).Select(i => new GenerateRequest
        {
            Suite = "bench",
            ItemId = i.ToString(CultureInfo.InvariantCulture),
            Messages = [new ChatMessage("system", "You are a careful clinician."), new ChatMessage("user", "A 64-year-old with fever and rash. Which drug? A) x B) y C) z D) w. Answer:")],
            Decoding = new DecodingParameters { Temperature = 0, MaxTokens = 8 },
        }).ToArray();
        _bareRequests = _requests.Select(r => new ChatCompletionRequest(
            "bench", r.Messages.Select(m => new ChatCompletionMessage(m.Role, m.Content)).ToArray(), r.Decoding.Temperature, r.Decoding.MaxTokens, 0, false)).ToArray();

        _storeDir = Path.Combine(Path.GetTempPath(), "vl-bench-" + Guid.NewGuid().ToString("N"));
        _store = StoreFactory.Open(Path.Combine(_storeDir, "store.db"));
        _cached = new CachingModelRunner(new OpenAIRunnerFactory().Create(settings), _store.Responses);

        // The hit workload asks the prompts of _requests: store their answers once.
        CacheHitsAsync().GetAwaiter().GetResult();
    }

    public int Concurrency { get; }

    public int Requests { get; }

    /// <summary>
    /// What any client of the endpoint must do, written the ordinary way: serialize a chat-completions body with
    /// System.Text.Json (source-generated), POST it over one HttpClient (same handler settings as the runner), check
    /// the status, parse the JSON reply with <see cref="JsonDocument"/> and take choices[0].message.content and usage.
    /// No timeout, no retry, no concurrency gate, no accounting.
    /// </summary>
    public Task BareAsync() => Workers(async i =>
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(_bareRequests[i], BareJsonContext.Default.ChatCompletionRequest);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonContentType;
        using var reply = await _http.PostAsync(_chatUri, content).ConfigureAwait(false);
        reply.EnsureSuccessStatusCode();
        await using var stream = await reply.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var doc = await JsonDocument.ParseAsync(stream).ConfigureAwait(false);
        var root = doc.RootElement;
        var text = root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        var usage = root.GetProperty("usage");
        if (text is null || usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32() <= 0)
        {
            throw new InvalidOperationException("unexpected reply");
        }
    });

    /// <summary>The runner as a run uses it.</summary>
    public Task RunnerAsync() => Workers(async i => Check(await _runner.ExecuteAsync(_requests[i], default).ConfigureAwait(false)));

    /// <summary>The runner behind the response cache, every prompt unique: every answer is stored before it is returned.</summary>
    public Task CacheMissesAsync() => Workers(async i =>
    {
        var n = Interlocked.Increment(ref _unique);
        var r = _requests[i];
        var request = r with { Messages = [r.Messages[0], new ChatMessage("user", r.Messages[1].Content + " #" + n.ToString(CultureInfo.InvariantCulture))] };
        Check(await _cached.ExecuteAsync(request, default).ConfigureAwait(false));
    });

    /// <summary>The runner behind the response cache, every prompt already stored: no request goes out.</summary>
    public Task CacheHitsAsync() => Workers(async i => Check(await _cached.ExecuteAsync(_requests[i], default).ConfigureAwait(false)));

    public void Dispose()
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

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private static void Check(ModelResponse response)
    {
        if (response.IsError || response.Text is null)
        {
            throw new InvalidOperationException(response.Error?.Message ?? "no text");
        }
    }

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
                    await send(i).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }
}

/// <summary>The chat-completions body the bare client sends (the same fields and values the runner writes).</summary>
public sealed record ChatCompletionRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("messages")] ChatCompletionMessage[] Messages,
    [property: JsonPropertyName("temperature")] double Temperature,
    [property: JsonPropertyName("max_tokens")] int MaxTokens,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("stream")] bool Stream);

/// <summary>One message of <see cref="ChatCompletionRequest"/>.</summary>
public sealed record ChatCompletionMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);

/// <summary>Source-generated serializer for the bare client's body.</summary>
[JsonSerializable(typeof(ChatCompletionRequest))]
internal sealed partial class BareJsonContext : JsonSerializerContext;
