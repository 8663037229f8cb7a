using System.Globalization;

namespace ValidationLab.Store;

/// <summary>
/// The one registry run every shard of a sharded evaluation records into. Its id is derived from what every pod
/// already knows — the evaluation key (the configuration without its shard, <c>manifest.shard.evaluation_sha256</c>)
/// and the shard count — so pods on different machines agree on it without talking to each other, and a merge finds
/// it again. The count is part of it: the same evaluation sharded 4 and 8 ways is two runs, never a mix.
/// </summary>
public static class ShardedRun
{
    /// <summary>"sharded-4-3f2a9c1b7d4e5f60": the count, then the first 16 hex digits of the evaluation key.</summary>
    public static string IdFor(string evaluationSha256, int count)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(evaluationSha256);
        ArgumentOutOfRangeException.ThrowIfLessThan(evaluationSha256.Length, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return string.Create(CultureInfo.InvariantCulture, $"sharded-{count}-{evaluationSha256[..16].ToLowerInvariant()}");
    }
}
