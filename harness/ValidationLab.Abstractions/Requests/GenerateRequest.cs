using System.Text.Json.Serialization;

namespace ValidationLab.Requests;

/// <summary>Generate a reply to chat messages.</summary>
public sealed record GenerateRequest : ModelRequest
{
    /// <inheritdoc />
    [JsonIgnore]
    public override RequestKind Kind => RequestKind.Generate;

    /// <summary>The conversation, system message first when there is one.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>Sampling settings; part of the cache key.</summary>
    public DecodingParameters Decoding { get; init; } = DecodingParameters.Greedy;
}

/// <summary>One chat message: role is "system", "user" or "assistant".</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>Decoding parameters as OpenAI-compatible servers name them.</summary>
public sealed record DecodingParameters
{
    /// <summary>Temperature 0 with a fixed seed: the most reproducible setting a server offers.</summary>
    public static DecodingParameters Greedy { get; } = new();

    public double Temperature { get; init; }

    public double? TopP { get; init; }

    public int MaxTokens { get; init; } = 512;

    public int? Seed { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];
}
