namespace ValidationLab.Store;

/// <summary>
/// A registered run in a list: its facts, how many items it holds (a sharded run not merged yet: the items its shards
/// recorded so far) and its latest gate verdict (if gated).
/// </summary>
public sealed record RunSummary(RunFacts Facts, int ItemCount, string? LatestVerdict)
{
    /// <summary>The shards' progress when the run is a sharded run; null otherwise.</summary>
    public ShardProgress? Shards { get; init; }
}
