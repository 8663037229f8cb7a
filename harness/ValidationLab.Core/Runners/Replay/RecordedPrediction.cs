namespace ValidationLab.Runners.Replay;

/// <summary>One recorded answer: the item it belongs to, the raw response, an optional probability, and where it was read.</summary>
public sealed record RecordedPrediction(string? Suite, string ItemId, string? Response, double? Probability, long Line);
