namespace ValidationLab.Store;

/// <summary>A sharded run's progress in <c>runs list</c>: <paramref name="Finished"/> of <paramref name="Count"/> shards, and whether it has been merged.</summary>
public sealed record ShardProgress(int Count, int Finished, bool Merged);
