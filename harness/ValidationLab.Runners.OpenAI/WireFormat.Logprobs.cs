using System.Text.Json;
using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

// WireFormat: parsing logprob answers (prompt echo, next-token top_logprobs) and the capability probes, through
// JsonDocument; these are not the hot path, so clarity wins over streaming.
internal static partial class WireFormat
{
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
