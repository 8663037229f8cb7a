using System.Buffers;
using System.Text.Json;
using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

/// <summary>What one HTTP attempt came to: an answer, or a failure that may be worth retrying.</summary>
internal readonly record struct Attempt
{
    public Attempt()
    {
    }

    public ModelResponse? Response { get; init; }

    public string Kind { get; init; } = "";

    public string Message { get; init; } = "";

    public bool Retryable { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public static Attempt Ok(ModelResponse response) => new() { Response = response };

    public static Attempt Fail(string kind, string message, bool retryable, TimeSpan? retryAfter = null) =>
        new() { Kind = kind, Message = message, Retryable = retryable, RetryAfter = retryAfter };
}

/// <summary>Thrown by the parsers for a body that is not the OpenAI wire format; the attempt is retried.</summary>
internal sealed class MalformedResponseException(string message) : Exception(message);

/// <summary>Thrown by the parsers for a well-formed answer that cannot serve the request (no logprobs); not retried.</summary>
internal sealed class UnusableResponseException(string kind, string message) : Exception(message)
{
    public string Kind { get; } = kind;
}

/// <summary>Request bodies and response parsing for the OpenAI wire format, written by hand with Utf8JsonWriter/JsonDocument.</summary>
internal static class WireFormat
{
    public static ReadOnlyMemory<byte> ChatBody(OpenAIRunnerOptions o, IReadOnlyList<ChatMessage> messages, DecodingParameters d, int? topLogprobs)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteChatBody(w, o, messages, d, topLogprobs);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Writes the chat-completions body to <paramref name="w"/> and flushes it.</summary>
    public static void WriteChatBody(Utf8JsonWriter w, OpenAIRunnerOptions o, IReadOnlyList<ChatMessage> messages, DecodingParameters d, int? topLogprobs)
    {
        {
            w.WriteStartObject();
            w.WriteString("model", o.Model);
            w.WriteStartArray("messages");
            for (var i = 0; i < messages.Count; i++)
            {
                var m = messages[i];
                w.WriteStartObject();
                w.WriteString("role", m.Role);
                w.WriteString("content", m.Content);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("temperature", d.Temperature);
            if (d.TopP is { } topP)
            {
                w.WriteNumber("top_p", topP);
            }

            w.WriteNumber(o.MaxTokensParameter, d.MaxTokens);
            w.WriteNumber("seed", d.Seed ?? o.DefaultSeed);
            if (d.Stop.Count > 0)
            {
                w.WriteStartArray("stop");
                for (var i = 0; i < d.Stop.Count; i++)
                {
                    w.WriteStringValue(d.Stop[i]);
                }

                w.WriteEndArray();
            }

            if (topLogprobs is { } k)
            {
                w.WriteBoolean("logprobs", true);
                w.WriteNumber("top_logprobs", k);
            }

            w.WriteBoolean("stream", false);
            w.WriteEndObject();
        }

        w.Flush();
    }

    /// <summary>Legacy completions with the prompt echoed and one logprob per token; one prompt per continuation in one request.</summary>
    public static ReadOnlyMemory<byte> EchoBody(OpenAIRunnerOptions o, IEnumerable<string> prompts)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", o.Model);
            w.WriteStartArray("prompt");
            foreach (var p in prompts)
            {
                w.WriteStringValue(p);
            }

            w.WriteEndArray();

            // One generated token (some servers refuse 0); its logprob is dropped by offset.
            w.WriteNumber("max_tokens", 1);
            w.WriteNumber("temperature", 0);
            w.WriteBoolean("echo", true);
            w.WriteNumber("logprobs", 1);
            w.WriteNumber("seed", o.DefaultSeed);
            w.WriteBoolean("stream", false);
            w.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>
    /// The reply text and usage of a chat completion. The hot path of a generate run, so it streams through the body
    /// with <see cref="Utf8JsonReader"/> instead of building a document; a truncated or invalid body throws.
    /// </summary>
    public static (string Text, TokenUsage? Usage) ParseChat(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new MalformedResponseException("the body is not a JSON object");
            }

            string? text = null;
            TokenUsage? usage = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new MalformedResponseException("'choices' is not an array");
                    }

                    if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        text = ReadChoiceText(ref reader);
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            reader.Skip();
                        }
                    }
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    usage = reader.TokenType == JsonTokenType.StartObject ? ReadUsage(ref reader) : null;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new MalformedResponseException("the body does not end with its JSON object");
            }

            return text is null ? throw new MalformedResponseException("no choice with a message in the answer") : (text, usage);
        }
        catch (JsonException e)
        {
            throw new MalformedResponseException("the body is not valid JSON: " + e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw new MalformedResponseException("unexpected JSON: " + e.Message);
        }
    }

    /// <summary>At a choice's StartObject: the message content ("" when null), leaving the reader on the choice's EndObject.</summary>
    private static string? ReadChoiceText(ref Utf8JsonReader reader)
    {
        string? text = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                text = "";
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("content"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            text = reader.GetString()!;
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return text;
    }

    /// <summary>At usage's StartObject: the token counts, leaving the reader on its EndObject.</summary>
    private static TokenUsage ReadUsage(ref Utf8JsonReader reader)
    {
        int prompt = 0, completion = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPrompt = reader.ValueTextEquals("prompt_tokens"u8);
            var isCompletion = !isPrompt && reader.ValueTextEquals("completion_tokens"u8);
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && (isPrompt || isCompletion) && reader.TryGetInt32(out var n))
            {
                if (isPrompt)
                {
                    prompt = n;
                }
                else
                {
                    completion = n;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return new TokenUsage(prompt, completion);
    }

    /// <summary>Sums, for each continuation, the logprobs of the echoed tokens that carry any of its characters.</summary>
    public static (double[] LogLikelihoods, TokenUsage? Usage) ParseEcho(ReadOnlyMemory<byte> body, string context, IReadOnlyList<string> continuations)
    {
        using var doc = Parse(body);
        if (!doc.RootElement.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            throw new MalformedResponseException("no 'choices' array");
        }

        if (choices.GetArrayLength() != continuations.Count)
        {
            throw new MalformedResponseException($"{choices.GetArrayLength()} choices for {continuations.Count} prompts");
        }

        var result = new double[continuations.Count];
        var seen = new bool[continuations.Count];
        var position = 0;
        foreach (var choice in choices.EnumerateArray())
        {
            var index = choice.TryGetProperty("index", out var ix) && ix.ValueKind == JsonValueKind.Number ? ix.GetInt32() : position;
            position++;
            if (index < 0 || index >= continuations.Count || seen[index])
            {
                throw new MalformedResponseException($"unexpected choice index {index}");
            }

            seen[index] = true;
            if (!choice.TryGetProperty("logprobs", out var lp) || lp.ValueKind != JsonValueKind.Object
                || !lp.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array
                || !lp.TryGetProperty("token_logprobs", out var tokenLogprobs) || tokenLogprobs.ValueKind != JsonValueKind.Array
                || !lp.TryGetProperty("text_offset", out var offsets) || offsets.ValueKind != JsonValueKind.Array)
            {
                throw new UnusableResponseException("logprobs_unavailable", "the server answered without echoed token logprobs (tokens, token_logprobs, text_offset)");
            }

            var n = tokens.GetArrayLength();
            if (tokenLogprobs.GetArrayLength() != n || offsets.GetArrayLength() != n)
            {
                throw new MalformedResponseException("logprobs arrays of different lengths");
            }

            var start = context.Length;
            var end = context.Length + continuations[index].Length;
            double sum = 0;
            var counted = 0;
            for (var t = 0; t < n; t++)
            {
                var offset = offsets[t].GetInt32();
                var length = tokens[t].ValueKind == JsonValueKind.String ? tokens[t].GetString()!.Length : 0;
                if (offset >= end || offset + Math.Max(length, 1) <= start)
                {
                    continue;
                }

                if (tokenLogprobs[t].ValueKind != JsonValueKind.Number)
                {
                    throw new UnusableResponseException("logprobs_unavailable", "the server gave no logprob for a token of the continuation (echo with an empty context?)");
                }

                sum += tokenLogprobs[t].GetDouble();
                counted++;
            }

            if (counted == 0)
            {
                throw new UnusableResponseException("logprobs_unavailable", "no echoed token covers the continuation");
            }

            result[index] = sum;
        }

        return (result, Usage(doc.RootElement));
    }

    /// <summary>The log-probability that the next token starts each continuation, from the top_logprobs of one generated token.</summary>
    public static (double[] LogLikelihoods, TokenUsage? Usage) ParseTopLogprobs(ReadOnlyMemory<byte> body, IReadOnlyList<string> continuations)
    {
        using var doc = Parse(body);
        var choice = FirstChoice(doc.RootElement);
        if (!choice.TryGetProperty("logprobs", out var lp) || lp.ValueKind != JsonValueKind.Object
            || !lp.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array || content.GetArrayLength() == 0
            || !content[0].TryGetProperty("top_logprobs", out var top) || top.ValueKind != JsonValueKind.Array || top.GetArrayLength() == 0)
        {
            throw new UnusableResponseException("logprobs_unavailable", "the server answered without top_logprobs for the first token");
        }

        var result = new double[continuations.Count];
        var found = false;
        for (var i = 0; i < continuations.Count; i++)
        {
            var wanted = continuations[i].Trim();
            double? acc = null;
            foreach (var entry in top.EnumerateArray())
            {
                if (entry.TryGetProperty("token", out var tok) && tok.ValueKind == JsonValueKind.String
                    && tok.GetString()!.Trim() == wanted && entry.TryGetProperty("logprob", out var l) && l.ValueKind == JsonValueKind.Number)
                {
                    // " A" and "A" are different tokens for the same option: add their probabilities.
                    var v = l.GetDouble();
                    acc = acc is { } a ? LogAddExp(a, v) : v;
                }
            }

            found |= acc is not null;
            result[i] = acc ?? AbsentLogprob;
        }

        if (!found)
        {
            throw new UnusableResponseException("no_option_in_top_logprobs", $"none of the {continuations.Count} options is among the top {top.GetArrayLength()} next tokens");
        }

        return (result, Usage(doc.RootElement));
    }

    /// <summary>The log-likelihood given to an option absent from the top_logprobs list (below any listed token).</summary>
    public const double AbsentLogprob = -9999.0;

    /// <summary>True when a probe answer carries echoed token logprobs.</summary>
    public static bool HasEchoLogprobs(byte[] body)
    {
        try
        {
            using var doc = Parse(body);
            var choice = FirstChoice(doc.RootElement);
            return choice.TryGetProperty("logprobs", out var lp) && lp.ValueKind == JsonValueKind.Object
                && lp.TryGetProperty("token_logprobs", out var t) && t.ValueKind == JsonValueKind.Array && t.GetArrayLength() >= 2
                && lp.TryGetProperty("text_offset", out var o) && o.ValueKind == JsonValueKind.Array;
        }
        catch (MalformedResponseException)
        {
            return false;
        }
    }

    /// <summary>True when a probe answer carries top_logprobs for the first token.</summary>
    public static bool HasTopLogprobs(byte[] body)
    {
        try
        {
            using var doc = Parse(body);
            var choice = FirstChoice(doc.RootElement);
            return choice.TryGetProperty("logprobs", out var lp) && lp.ValueKind == JsonValueKind.Object
                && lp.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.Array && c.GetArrayLength() > 0
                && c[0].TryGetProperty("top_logprobs", out var t) && t.ValueKind == JsonValueKind.Array && t.GetArrayLength() > 0;
        }
        catch (MalformedResponseException)
        {
            return false;
        }
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw new MalformedResponseException("the body is not a JSON object");
            }

            return doc;
        }
        catch (JsonException e)
        {
            throw new MalformedResponseException("the body is not valid JSON: " + e.Message);
        }
    }

    private static JsonElement FirstChoice(JsonElement root)
    {
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            throw new MalformedResponseException("no 'choices' in the answer");
        }

        return choices[0];
    }

    private static TokenUsage? Usage(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var u) || u.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        static int Count(JsonElement u, string name) =>
            u.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : 0;

        return new TokenUsage(Count(u, "prompt_tokens"), Count(u, "completion_tokens"));
    }

    private static double LogAddExp(double a, double b)
    {
        var max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }
}
