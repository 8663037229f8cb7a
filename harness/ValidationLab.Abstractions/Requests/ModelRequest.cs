using System.Text.Json.Serialization;

namespace ValidationLab.Requests;

/// <summary>
/// One call a suite wants made for one item. Requests are plain data so that they can be hashed (prompt hash,
/// response cache key), recorded and replayed. <see cref="ItemId"/> and <see cref="RequestId"/> address the call;
/// everything else is content.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(LogLikelihoodRequest), "loglikelihood")]
[JsonDerivedType(typeof(GenerateRequest), "generate")]
[JsonDerivedType(typeof(RiskRequest), "risk")]
public abstract record ModelRequest
{
    /// <summary>The suite that made the request.</summary>
    public required string Suite { get; init; }

    /// <summary>The item the request belongs to.</summary>
    public required string ItemId { get; init; }

    /// <summary>Distinguishes several requests of one item ("0" when there is one).</summary>
    public string RequestId { get; init; } = "0";

    /// <summary>What kind of answer is wanted.</summary>
    [JsonIgnore]
    public abstract RequestKind Kind { get; }

    /// <summary>
    /// Structured view of the answer options, when the item is multiple choice. Runners may use it (guided
    /// decoding, baselines); the prompt itself already contains the options.
    /// </summary>
    public IReadOnlyList<AnswerChoice>? Choices { get; init; }
}

/// <summary>A labelled answer option ("C", "Ampicillin").</summary>
public sealed record AnswerChoice(string Label, string Text);
