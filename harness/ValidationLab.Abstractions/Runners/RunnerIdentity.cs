namespace ValidationLab.Runners;

/// <summary>
/// Who answered: the runner family, the model, where it was served and a fingerprint of every setting that can
/// change an answer. Part of the run manifest and of every response-cache key, so entries are never served across
/// models, endpoints or decoding settings.
/// </summary>
public sealed record RunnerIdentity
{
    /// <summary>Runner family as named in configs: "baseline", "replay", "openai", "llama".</summary>
    public required string Runner { get; init; }

    /// <summary>Model, deployment or baseline name.</summary>
    public required string Model { get; init; }

    /// <summary>Endpoint URL or file the answers come from, when there is one (never a secret).</summary>
    public string? Source { get; init; }

    /// <summary>SHA-256 of the answer-affecting settings (or of the predictions file, or model weights).</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>"runner/model" for tables and logs.</summary>
    public override string ToString() => $"{Runner}/{Model}";
}
