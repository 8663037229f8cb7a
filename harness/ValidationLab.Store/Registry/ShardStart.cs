namespace ValidationLab.Store;

/// <summary>
/// A shard run starting (<see cref="IRunRegistry.BeginShard"/>): shard <paramref name="Index"/> of
/// <paramref name="Count"/> of the sharded run <paramref name="RunId"/> (<see cref="ShardedRun.IdFor"/>), run as
/// <paramref name="ShardRunId"/> (the shard's own run id, the same across <c>--resume</c>). <paramref name="Facts"/>
/// describe the sharded run when this shard is the first to arrive.
/// </summary>
public sealed record ShardStart(string RunId, int Index, int Count, string EvaluationSha256, string ShardRunId, RunFacts Facts);
