using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ValidationLab.Testing;

namespace ValidationLab.Runners.OpenAI.Tests;

/// <summary>What the server does to one request instead of (or before) answering it.</summary>
public enum Fault
{
    None,
    RateLimited,
    ServerError,
    Unavailable,
    Slow,
    MalformedJson,
    ResetMidBody,
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, ephemeral port) speaking the OpenAI wire format:
/// <c>/v1/chat/completions</c> (optionally with top_logprobs) and <c>/v1/completions</c> with echo + logprobs.
/// Answers are a pure function of the request body, so a faulted run can be compared with a fault-free one.
/// Counts requests and in-flight requests; injects faults per request.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private LoopbackHost _host = null!;
    private int _inFlight;
    private int _maxInFlight;
    private int _requests;

    public Uri BaseUrl => _host.BaseUrl;

    /// <summary>Decides the fault for each request (called with the 1-based request number); default none.</summary>
    public Func<int, Fault> Faults { get; set; } = _ => Fault.None;

    /// <summary>How long a <see cref="Fault.Slow"/> request waits before answering.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A delay before every normal answer (to build up concurrency).</summary>
    public TimeSpan AnswerDelay { get; set; } = TimeSpan.Zero;

    public string RetryAfter { get; set; } = "1";

    public bool EchoSupported { get; set; } = true;

    public bool TopLogprobsSupported { get; set; } = true;

    /// <summary>When set, every request gets this status with a body echoing the request's headers.</summary>
    public int? ForceStatus { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>
    /// Waits, at most <paramref name="limit"/>, until no request is being handled and none has arrived for
    /// <paramref name="quiet"/>: requests a cancelled client left on the wire can reach the handler late.
    /// </summary>
    public async Task WaitQuietAsync(TimeSpan quiet, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var seen = Requests;
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
            var now = Requests;
            if (now != seen || Volatile.Read(ref _inFlight) > 0)
            {
                seen = now;
                since = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - since >= quiet)
            {
                return;
            }
        }
    }

    public ConcurrentBag<string> Bodies { get; } = [];

    public ConcurrentBag<string> AuthHeaders { get; } = [];

    public ConcurrentDictionary<string, int> FaultsInjected { get; } = new();

    private FakeOpenAIServer()
    {
    }

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var server = new FakeOpenAIServer();
        server._host = await LoopbackHost.StartAsync(server.HandleAsync);
        return server;
    }

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _maxInFlight, 0);
        Bodies.Clear();
        AuthHeaders.Clear();
        FaultsInjected.Clear();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task HandleAsync(HttpContext ctx)
    {
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
            var number = Interlocked.Increment(ref _requests);
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync(ctx.RequestAborted);
            Bodies.Add(body);
            AuthHeaders.Add(ctx.Request.Headers.Authorization.ToString() + "|" + ctx.Request.Headers["api-key"]);

            if (ForceStatus is { } forced)
            {
                ctx.Response.StatusCode = forced;
                var headers = string.Join(", ", ctx.Request.Headers.Select(h => $"{h.Key}: {h.Value}"));
                await ctx.Response.WriteAsync($"{{\"error\":{{\"message\":\"rejected request with headers {headers.Replace("\"", "'", StringComparison.Ordinal)}\"}}}}");
                return;
            }

            var fault = Faults(number);
            if (fault != Fault.None)
            {
                FaultsInjected.AddOrUpdate(fault.ToString(), 1, (_, n) => n + 1);
            }

            switch (fault)
            {
                case Fault.RateLimited:
                    ctx.Response.StatusCode = 429;
                    ctx.Response.Headers.RetryAfter = RetryAfter;
                    await ctx.Response.WriteAsync("{\"error\":{\"message\":\"rate limited\"}}");
                    return;
                case Fault.ServerError:
                    ctx.Response.StatusCode = 500;
                    await ctx.Response.WriteAsync("{\"error\":{\"message\":\"internal\"}}");
                    return;
                case Fault.Unavailable:
                    ctx.Response.StatusCode = 503;
                    return;
                case Fault.Slow:
                    try
                    {
                        await Task.Delay(SlowDelay, ctx.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    break;
            }

            if (AnswerDelay > TimeSpan.Zero)
            {
                await Task.Delay(AnswerDelay, ctx.RequestAborted);
            }

            using var doc = JsonDocument.Parse(body);
            var (status, answer) = ctx.Request.Path.Value switch
            {
                "/v1/chat/completions" => Chat(doc.RootElement),
                "/v1/completions" => Completions(doc.RootElement),
                _ => (404, "{\"error\":{\"message\":\"no such route\"}}"),
            };
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(answer);
            switch (fault)
            {
                case Fault.MalformedJson:
                    await ctx.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                    return;
                case Fault.ResetMidBody:
                    ctx.Response.ContentLength = bytes.Length;
                    await ctx.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                    await ctx.Response.Body.FlushAsync();
                    ctx.Abort();
                    return;
                default:
                    ctx.Response.ContentLength = bytes.Length;
                    await ctx.Response.Body.WriteAsync(bytes);
                    return;
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The deterministic reply text for a chat request: depends on model, messages and decoding.</summary>
    public static string ReplyFor(string model, string lastUserMessage, double temperature) =>
        $"{model} says {Hash(lastUserMessage)[..10]} at t={temperature.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The log-probability the server gives character <paramref name="c"/> at <paramref name="position"/>.</summary>
    public static double CharLogprob(char c, int position) => -((c % 7) + 1 + (position % 3)) / 8.0;

    /// <summary>Fixed top_logprobs of the first generated token.</summary>
    public static readonly (string Token, double Logprob)[] TopTokens = [("B", -0.25), (" B", -2.0), ("A", -1.5), ("C", -3.0), ("The", -4.0)];

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
            w.WriteString("content", wantsLogprobs ? "B" : ReplyFor(model, last, temperature));
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

    private static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));
}
