using System.Text.Json;
using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

// WireFormat: parsing a chat completion, streamed with Utf8JsonReader because it is the hot path of a generate run.
internal static partial class WireFormat
{
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
}
