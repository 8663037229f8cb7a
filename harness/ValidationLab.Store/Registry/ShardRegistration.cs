namespace ValidationLab.Store;

/// <summary>
/// What a finished (or failed) shard run records into its sharded run (<see cref="IRunRegistry.RecordShard"/>): its
/// items, in items.jsonl order, and its run folder's files, from which a merge rebuilds it.
/// </summary>
public sealed record ShardRegistration
{
    public required string RunId { get; init; }

    public required int Index { get; init; }

    /// <summary>The shard's own run id (the same across <c>--resume</c>).</summary>
    public required string ShardRunId { get; init; }

    /// <summary>
    /// <c>--overwrite</c>: replace the shard even when another shard run recorded it with different results. Without
    /// it, a second run of a shard replaces the recorded one only when every item's result is the same.
    /// </summary>
    public bool Replace { get; init; }

    /// <summary>The shard run ended failed (e.g. too many errored items): recorded, but a merge waits for it.</summary>
    public bool Failed { get; init; }

    public IReadOnlyList<ItemRow> Items { get; init; } = [];

    public IReadOnlyList<RunFile> Files { get; init; } = [];
}
