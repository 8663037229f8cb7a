using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ValidationLab.Testing;

/// <summary>What the server does to one request instead of (or before) answering it.</summary>
public enum Fault
{
    None,
    RateLimited,
    ServerError,
    Unavailable,

    /// <summary>Never answers: holds the request until the client gives up (its timeout) or the server stops.</summary>
    Slow,
    MalformedJson,
    ResetMidBody,
}

/// <summary>One request as the fault and hold rules see it.</summary>
/// <param name="Number">1-based arrival number since the last <see cref="FakeOpenAIServer.ResetCounters"/>.</param>
/// <param name="Prompt">The last message's content (chat) or the first prompt (completions); "" when there is none.</param>
/// <param name="Attempt">1-based count of requests with this model and prompt since the last reset.</param>
public sealed record FakeRequest(int Number, string Path, string Model, string Prompt, int Attempt);

/// <summary>
/// The one OpenAI-compatible fake endpoint of the test projects: a real HTTP server on 127.0.0.1 (Kestrel, ephemeral
/// port, so every test has its own) speaking <c>/v1/chat/completions</c> (optionally with top_logprobs) and
/// <c>/v1/completions</c> with echo + logprobs. Answers are a pure function of the request, so a faulted run can be
/// compared with a fault-free one. Scripted faults and permanent rejections per request; counters (requests,
/// answered, in flight, per prompt, faults, bodies, auth headers); and barriers instead of delays: requests chosen
/// by <see cref="Hold"/> wait inside the server until <see cref="ReleaseHeld"/>, and <see cref="WaitUntilAsync"/>
/// wakes a test on the server's own events, so no test has to guess how long anything takes.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    /// <summary>Only a hang guard for <see cref="WaitUntilAsync"/>: a condition that never comes fails the test.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<(Func<FakeOpenAIServer, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private LoopbackHost _host = null!;
    private TaskCompletionSource _release = NewRelease();
    private Func<FakeRequest, bool> _hold = _ => false;
    private int _inFlight;
    private int _maxInFlight;
    private int _requests;
    private int _answered;
    private int _held;

    private FakeOpenAIServer()
    {
    }

    public Uri BaseUrl => _host.BaseUrl;

    /// <summary>Decides the fault for each request; default none.</summary>
    public Func<FakeRequest, Fault> Faults { get; set; } = _ => Fault.None;

    /// <summary>Prompts always refused with HTTP 400 whose body echoes the request headers (as some gateways do).</summary>
    public Func<string, bool> Rejects { get; set; } = _ => false;

    /// <summary>When set, every request gets this status with a body echoing the request's headers.</summary>
    public int? ForceStatus { get; set; }

    /// <summary>The chat reply for (model, last message, temperature); default <see cref="ReplyFor"/>.</summary>
    public Func<string, string, double, string> ChatReply { get; set; } = ReplyFor;

    public string RetryAfter { get; set; } = "1";

    public bool EchoSupported { get; set; } = true;

    public bool TopLogprobsSupported { get; set; } = true;

    /// <summary>Requests received (any outcome).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests answered with a 200 and a complete, well-formed body.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Requests being handled now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests waiting at the barrier now.</summary>
    public int Held => Volatile.Read(ref _held);

    public ConcurrentBag<string> Bodies { get; } = [];

    /// <summary>"Authorization|api-key" of every request.</summary>
    public ConcurrentBag<string> AuthHeaders { get; } = [];

    /// <summary>The Authorization header of every request.</summary>
    public ConcurrentBag<string> AuthorizationHeaders { get; } = [];

    /// <summary>Requests received per prompt key (<see cref="PromptKey"/>).</summary>
    public ConcurrentDictionary<string, int> PerPrompt { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<Fault, int> FaultsInjected { get; } = new();

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var server = new FakeOpenAIServer();
        server._host = await LoopbackHost.StartAsync(server.HandleAsync);
        return server;
    }

    /// <summary>The key requests are counted under in <see cref="PerPrompt"/>.</summary>
    public static string PromptKey(string model, string prompt) => model + "\u0001" + prompt;

    /// <summary>The deterministic free-text reply for a chat request: depends on model, last message and temperature.</summary>
    public static string ReplyFor(string model, string lastUserMessage, double temperature) =>
        $"{model} says {Convert.ToHexStringLower(Hash(lastUserMessage))[..10]} at t={temperature.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A multiple-choice reply, "The answer is (X).", X picked from a hash of the last message.</summary>
    public static string MultipleChoiceReply(string model, string lastUserMessage, double temperature) =>
        $"The answer is ({LetterFor(lastUserMessage)}).";

    /// <summary>The letter <see cref="MultipleChoiceReply"/> answers for a prompt.</summary>
    public static char LetterFor(string lastUserMessage) => "ABCD"[Hash(lastUserMessage)[0] % 4];

    /// <summary>A stable number 0..255 from a prompt, for choosing faults and rejections.</summary>
    public static int Bucket(string lastUserMessage) => Hash(lastUserMessage)[1];

    /// <summary>The log-probability the server gives character <paramref name="c"/> at <paramref name="position"/>.</summary>
    public static double CharLogprob(char c, int position) => -((c % 7) + 1 + (position % 3)) / 8.0;

    /// <summary>Fixed top_logprobs of the first generated token.</summary>
    public static readonly (string Token, double Logprob)[] TopTokens = [("B", -0.25), (" B", -2.0), ("A", -1.5), ("C", -3.0), ("The", -4.0)];

    /// <summary>
    /// From now on, requests for which <paramref name="which"/> is true wait inside the server (already counted,
    /// not yet answered) until <see cref="ReleaseHeld"/>, the client gives up, or the server stops.
    /// </summary>
    public void Hold(Func<FakeRequest, bool> which)
    {
        lock (_gate)
        {
            _hold = which;
        }
    }

    /// <summary>Lets every held request go on and holds nothing more.</summary>
    public void ReleaseHeld()
    {
        lock (_gate)
        {
            _hold = _ => false;
            _release.TrySetResult();
            _release = NewRelease();
        }
    }

    /// <summary>
    /// Completes when <paramref name="condition"/> holds, checked now and after every server event (a request
    /// arriving, being held, finishing). Fails after <see cref="HangGuard"/> so a broken test ends with a message.
    /// </summary>
    public async Task WaitUntilAsync(Func<FakeOpenAIServer, bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(this))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(HangGuard);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the fake server never reached: {what} (requests {Requests}, answered {Answered}, in flight {InFlight}, held {Held})");
        }
    }

    public void ResetCounters()
    {
        lock (_gate)
        {
            Interlocked.Exchange(ref _requests, 0);
            Interlocked.Exchange(ref _answered, 0);
            Interlocked.Exchange(ref _maxInFlight, Volatile.Read(ref _inFlight));
            Bodies.Clear();
            AuthHeaders.Clear();
            AuthorizationHeaders.Clear();
            PerPrompt.Clear();
            FaultsInjected.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _host.DisposeAsync();
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewRelease() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the waiters whose condition now holds.</summary>
    private void Changed()
    {
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(this))
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        using var abandoned = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping.Token);
        var now = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); now > max; max = Volatile.Read(ref _maxInFlight))
        {
            if (Interlocked.CompareExchange(ref _maxInFlight, now, max) == max)
            {
                break;
            }
        }

        try
        {
            await HandleCountedAsync(ctx, abandoned.Token);
        }
        catch (OperationCanceledException)
        {
            // The client went away (a timeout, a cancelled or killed run) or the server is stopping: nothing to answer.
        }
        catch (IOException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            Changed();
        }
    }

    private async Task HandleCountedAsync(HttpContext ctx, CancellationToken abandoned)
    {
        var number = Interlocked.Increment(ref _requests);
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(abandoned);
        Bodies.Add(body);
        AuthHeaders.Add(ctx.Request.Headers.Authorization.ToString() + "|" + ctx.Request.Headers["api-key"]);
        AuthorizationHeaders.Add(ctx.Request.Headers.Authorization.ToString());

        using var doc = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        var root = doc.RootElement;
        var path = ctx.Request.Path.Value ?? "";
        var model = root.TryGetProperty("model", out var m) ? m.GetString() ?? "" : "";
        var prompt = PromptOf(root);
        var attempt = PerPrompt.AddOrUpdate(PromptKey(model, prompt), 1, (_, n) => n + 1);
        var request = new FakeRequest(number, path, model, prompt, attempt);
        Changed();

        Task? release = null;
        lock (_gate)
        {
            if (_hold(request))
            {
                release = _release.Task;
                Interlocked.Increment(ref _held);
            }
        }

        if (release is not null)
        {
            Changed();
            try
            {
                await release.WaitAsync(abandoned);
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
        }

        if (ForceStatus is { } forced)
        {
            ctx.Response.StatusCode = forced;
            await ctx.Response.WriteAsync($"{{\"error\":{{\"message\":\"rejected request with headers {EchoHeaders(ctx)}\"}}}}", abandoned);
            return;
        }

        if (Rejects(prompt))
        {
            ctx.Response.StatusCode = 400;
            await ctx.Response.WriteAsync($"{{\"error\":{{\"message\":\"invalid request; received headers {EchoHeaders(ctx)}\"}}}}", abandoned);
            return;
        }

        var fault = Faults(request);
        if (fault != Fault.None)
        {
            FaultsInjected.AddOrUpdate(fault, 1, (_, n) => n + 1);
        }

        switch (fault)
        {
            case Fault.RateLimited:
                ctx.Response.StatusCode = 429;
                ctx.Response.Headers.RetryAfter = RetryAfter;
                await ctx.Response.WriteAsync("{\"error\":{\"message\":\"rate limited\"}}", abandoned);
                return;
            case Fault.ServerError:
                ctx.Response.StatusCode = 500;
                await ctx.Response.WriteAsync("{\"error\":{\"message\":\"internal\"}}", abandoned);
                return;
            case Fault.Unavailable:
                ctx.Response.StatusCode = 503;
                return;
            case Fault.Slow:
                await Task.Delay(Timeout.Infinite, abandoned);
                return;
        }

        var (status, answer) = path switch
        {
            "/v1/chat/completions" => Chat(root),
            "/v1/completions" => Completions(root),
            _ => (404, "{\"error\":{\"message\":\"no such route\"}}"),
        };
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(answer);
        switch (fault)
        {
            case Fault.MalformedJson:
                await ctx.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), abandoned);
                return;
            case Fault.ResetMidBody:
                ctx.Response.ContentLength = bytes.Length;
                await ctx.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), abandoned);
                await ctx.Response.Body.FlushAsync(abandoned);
                ctx.Abort();
                return;
            default:
                ctx.Response.ContentLength = bytes.Length;
                await ctx.Response.Body.WriteAsync(bytes, abandoned);
                if (status == 200)
                {
                    Interlocked.Increment(ref _answered);
                }

                return;
        }
    }

    private static string EchoHeaders(HttpContext ctx) =>
        string.Join(", ", ctx.Request.Headers.Select(h => $"{h.Key}: {h.Value}")).Replace("\"", "'", StringComparison.Ordinal).Replace("\\", "/", StringComparison.Ordinal);

    private static string PromptOf(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "";
        }

        if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0)
        {
            return messages[messages.GetArrayLength() - 1].TryGetProperty("content", out var c) ? c.GetString() ?? "" : "";
        }

        if (root.TryGetProperty("prompt", out var p))
        {
            return p.ValueKind == JsonValueKind.Array ? (p.GetArrayLength() > 0 ? p[0].GetString() ?? "" : "") : p.GetString() ?? "";
        }

        return "";
    }

    private (int, string) Chat(JsonElement req)
    {
        var model = req.GetProperty("model").GetString()!;
        var messages = req.GetProperty("messages");
        var last = messages[messages.GetArrayLength() - 1].GetProperty("content").GetString()!;
        var temperature = req.TryGetProperty("temperature", out var t) ? t.GetDouble() : 1.0;
        var wantsLogprobs = req.TryGetProperty("logprobs", out var lp) && lp.ValueKind == JsonValueKind.True;
        var promptTokens = messages.EnumerateArray().Sum(m => m.GetProperty("content").GetString()!.Length) / 4;
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("id", "chatcmpl-1");
            w.WriteString("object", "chat.completion");
            w.WriteString("model", model);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", wantsLogprobs ? "B" : ChatReply(model, last, temperature));
            w.WriteEndObject();
            if (wantsLogprobs && TopLogprobsSupported)
            {
                var k = req.TryGetProperty("top_logprobs", out var kk) ? kk.GetInt32() : 0;
                w.WriteStartObject("logprobs");
                w.WriteStartArray("content");
                w.WriteStartObject();
                w.WriteString("token", "B");
                w.WriteNumber("logprob", -0.25);
                w.WriteStartArray("top_logprobs");
                foreach (var (token, logprob) in TopTokens.Take(k))
                {
                    w.WriteStartObject();
                    w.WriteString("token", token);
                    w.WriteNumber("logprob", logprob);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("logprobs");
            }

            w.WriteString("finish_reason", "stop");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", promptTokens);
            w.WriteNumber("completion_tokens", 7);
            w.WriteNumber("total_tokens", promptTokens + 7);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return (200, Encoding.UTF8.GetString(ms.ToArray()));
    }

    /// <summary>Legacy completions with echo: one token per character, logprob from <see cref="CharLogprob"/>.</summary>
    private (int, string) Completions(JsonElement req)
    {
        if (!EchoSupported)
        {
            return (400, "{\"error\":{\"message\":\"echo is not supported\"}}");
        }

        var prompts = req.GetProperty("prompt").ValueKind == JsonValueKind.Array
            ? req.GetProperty("prompt").EnumerateArray().Select(p => p.GetString()!).ToList()
            : [req.GetProperty("prompt").GetString()!];
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("object", "text_completion");
            w.WriteStartArray("choices");
            for (var i = prompts.Count - 1; i >= 0; i--)
            {
                // Reverse order on purpose: clients must use "index".
                var p = prompts[i];
                w.WriteStartObject();
                w.WriteNumber("index", i);
                w.WriteString("text", p + "X");
                w.WriteStartObject("logprobs");
                w.WriteStartArray("tokens");
                foreach (var c in p)
                {
                    w.WriteStringValue(c.ToString());
                }

                w.WriteStringValue("X");
                w.WriteEndArray();
                w.WriteStartArray("token_logprobs");
                for (var j = 0; j < p.Length; j++)
                {
                    if (j == 0)
                    {
                        w.WriteNullValue();
                    }
                    else
                    {
                        w.WriteNumberValue(CharLogprob(p[j], j));
                    }
                }

                w.WriteNumberValue(-0.1);
                w.WriteEndArray();
                w.WriteStartArray("text_offset");
                for (var j = 0; j <= p.Length; j++)
                {
                    w.WriteNumberValue(j);
                }

                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteString("finish_reason", "length");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", prompts.Sum(p => p.Length));
            w.WriteNumber("completion_tokens", prompts.Count);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return (200, Encoding.UTF8.GetString(ms.ToArray()));
    }

    private static byte[] Hash(string s) => SHA256.HashData(Encoding.UTF8.GetBytes(s));
}
