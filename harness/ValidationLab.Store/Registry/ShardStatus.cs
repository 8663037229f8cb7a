namespace ValidationLab.Store;

/// <summary>One shard of a sharded run as the registry holds it (table <c>registry_shards</c>).</summary>
/// <param name="Status">"running" (begun, or killed before it ended), "finished" or "failed".</param>
/// <param name="ItemCount">Items recorded (0 until the shard run ends).</param>
public sealed record ShardStatus(int Index, int Count, string EvaluationSha256, string ShardRunId, string Status, DateTimeOffset StartedUtc, DateTimeOffset? FinishedUtc, int ItemCount)
{
    public bool Finished => Status == "finished";
}
