namespace ValidationLab.Store;

/// <summary>A registered run in a list: its facts, how many items it holds and its latest gate verdict (if gated).</summary>
public sealed record RunSummary(RunFacts Facts, int ItemCount, string? LatestVerdict);
