using System.Buffers;
using System.Text.Json;
using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

/// <summary>Request bodies and response parsing for the OpenAI wire format, written by hand with Utf8JsonWriter/JsonDocument.</summary>
internal static partial class WireFormat
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
}
