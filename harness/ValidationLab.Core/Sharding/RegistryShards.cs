namespace ValidationLab.Sharding;

/// <summary>
/// What a merge from the run registry knows beyond the finished shards' folders: the sharded run it reads
/// (<paramref name="Source"/>, e.g. "sharded run sharded-4-3f2a… in store.db") and the shards that have not finished
/// (index → "running", "failed" or "not started"), which the merge refuses with the planned items each holds.
/// </summary>
public sealed record RegistryShards(string Source, IReadOnlyDictionary<int, string> Unfinished);
