using System.Text.Json.Serialization;

namespace ValidationLab.Requests;

/// <summary>
/// The probability of <see cref="Outcome"/> within <see cref="HorizonHours"/> for a patient as seen at
/// <see cref="AsOf"/>. <see cref="Context"/> holds only what was known at or before <see cref="AsOf"/>: the suite
/// that builds it guarantees the model never sees the future.
/// </summary>
public sealed record RiskRequest : ModelRequest
{
    /// <inheritdoc />
    [JsonIgnore]
    public override RequestKind Kind => RequestKind.Risk;

    public required string PatientId { get; init; }

    public required DateTimeOffset AsOf { get; init; }

    /// <summary>What is predicted, e.g. "deterioration" (NEWS2 &gt;= 7).</summary>
    public required string Outcome { get; init; }

    public int HorizonHours { get; init; } = 24;

    /// <summary>The patient's history up to <see cref="AsOf"/>, as text or JSON.</summary>
    public required string Context { get; init; }

    /// <summary>
    /// Structured features known at <see cref="AsOf"/> (last value of each vital and lab, and reference scores the
    /// suite computed from them such as <c>news2</c>, <c>qsofa</c>, <c>kdigo_stage</c>), for risk models and
    /// reference rules; null when the suite renders text only. Built under the same point-in-time rule as
    /// <see cref="Context"/>.
    /// </summary>
    public IReadOnlyDictionary<string, double>? Features { get; init; }

    /// <summary>Optional chat framing for runners that answer in text.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }
}
