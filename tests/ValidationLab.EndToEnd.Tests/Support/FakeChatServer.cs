using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ValidationLab.Testing;

namespace ValidationLab.EndToEnd.Tests.Support;

/// <summary>What the server does to one attempt instead of answering it.</summary>
public enum ChatFault
{
    None,
    RateLimited,
    ServerError,
    Unavailable,
    MalformedJson,
}

/// <summary>
/// A small OpenAI-compatible chat server on 127.0.0.1 (Kestrel, ephemeral port, so every test has its own).
/// The answer is a pure function of the prompt: "The answer is (X)." with X picked from a hash of the last user
/// message. Counts requests per prompt (model + last user message). Faults and permanent rejections are decided
/// per prompt and per attempt, so runs are deterministic whatever the request order.
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    private LoopbackHost _host = null!;
    private int _requests;
    private int _answered;

    public Uri BaseUrl => _host.BaseUrl;

    /// <summary>Decides a fault from (last user message, 1-based attempt number for this prompt).</summary>
    public Func<string, int, ChatFault> Faults { get; set; } = (_, _) => ChatFault.None;

    /// <summary>Prompts always refused with HTTP 400 (whose body echoes the request headers, as some gateways do).</summary>
    public Func<string, bool> Rejects { get; set; } = _ => false;

    /// <summary>Delay before every answer.</summary>
    public TimeSpan AnswerDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Requests received (any outcome).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests answered with a 200 and a well-formed body.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Requests received per prompt key (<see cref="PromptKey"/>).</summary>
    public ConcurrentDictionary<string, int> PerPrompt { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<ChatFault, int> FaultsInjected { get; } = new();

    public ConcurrentBag<string> AuthorizationHeaders { get; } = [];

    private FakeChatServer()
    {
    }

    public static async Task<FakeChatServer> StartAsync()
    {
        var server = new FakeChatServer();
        server._host = await LoopbackHost.StartAsync(server.HandleAsync);
        return server;
    }

    /// <summary>The key requests are counted under.</summary>
    public static string PromptKey(string model, string lastUserMessage) => model + "\u0001" + lastUserMessage;

    /// <summary>The letter the server answers for a prompt.</summary>
    public static char LetterFor(string lastUserMessage) => "ABCD"[Hash(lastUserMessage)[0] % 4];

    /// <summary>A stable number 0..255 from a prompt, for choosing faults and rejections.</summary>
    public static int Bucket(string lastUserMessage) => Hash(lastUserMessage)[1];

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _answered, 0);
        PerPrompt.Clear();
        FaultsInjected.Clear();
        AuthorizationHeaders.Clear();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            Interlocked.Increment(ref _requests);
            AuthorizationHeaders.Add(ctx.Request.Headers.Authorization.ToString());
            if (ctx.Request.Path.Value != "/v1/chat/completions")
            {
                ctx.Response.StatusCode = 404;
                await ctx.Response.WriteAsync("{\"error\":{\"message\":\"no such route\"}}");
                return;
            }

            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            using var doc = JsonDocument.Parse(await reader.ReadToEndAsync(ctx.RequestAborted));
            var model = doc.RootElement.GetProperty("model").GetString()!;
            var messages = doc.RootElement.GetProperty("messages");
            var last = messages[messages.GetArrayLength() - 1].GetProperty("content").GetString()!;
            var attempt = PerPrompt.AddOrUpdate(PromptKey(model, last), 1, (_, n) => n + 1);

            if (Rejects(last))
            {
                ctx.Response.StatusCode = 400;
                var headers = string.Join("; ", ctx.Request.Headers.Select(h => $"{h.Key}: {h.Value}"));
                await ctx.Response.WriteAsJsonAsync(new { error = new { message = "invalid request; received headers " + headers } });
                return;
            }

            var fault = Faults(last, attempt);
            if (fault != ChatFault.None)
            {
                FaultsInjected.AddOrUpdate(fault, 1, (_, n) => n + 1);
            }

            switch (fault)
            {
                case ChatFault.RateLimited:
                    ctx.Response.StatusCode = 429;
                    ctx.Response.Headers.RetryAfter = "0";
                    await ctx.Response.WriteAsync("{\"error\":{\"message\":\"rate limited\"}}");
                    return;
                case ChatFault.ServerError:
                    ctx.Response.StatusCode = 500;
                    await ctx.Response.WriteAsync("{\"error\":{\"message\":\"internal\"}}");
                    return;
                case ChatFault.Unavailable:
                    ctx.Response.StatusCode = 503;
                    return;
            }

            if (AnswerDelay > TimeSpan.Zero)
            {
                await Task.Delay(AnswerDelay, ctx.RequestAborted);
            }

            var promptTokens = messages.EnumerateArray().Sum(m => m.GetProperty("content").GetString()!.Length) / 4;
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                id = "chatcmpl-e2e",
                @object = "chat.completion",
                model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = $"The answer is ({LetterFor(last)})." }, finish_reason = "stop" } },
                usage = new { prompt_tokens = promptTokens, completion_tokens = 6, total_tokens = promptTokens + 6 },
            });
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            if (fault == ChatFault.MalformedJson)
            {
                await ctx.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2));
                return;
            }

            ctx.Response.ContentLength = body.Length;
            await ctx.Response.Body.WriteAsync(body);
            Interlocked.Increment(ref _answered);
        }
        catch (OperationCanceledException)
        {
            // The client went away (a killed CLI): nothing to answer.
        }
    }

    private static byte[] Hash(string s) => SHA256.HashData(Encoding.UTF8.GetBytes(s));
}
