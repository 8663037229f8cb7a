namespace ValidationLab.Configuration;

/// <summary>
/// This run evaluates one part of a sharded evaluation (<c>--shard INDEX/COUNT</c>): the items whose stable hash
/// falls in part <see cref="Index"/> of <see cref="Count"/>. The index is 0-based, like a Kubernetes Indexed Job's
/// <c>JOB_COMPLETION_INDEX</c>. Recorded in the manifest as <c>{"index": I, "count": N, ...}</c>.
/// </summary>
public sealed record RunShard(int Index, int Count)
{
    /// <summary>"2/4", the form the flag and the config file take.</summary>
    public override string ToString() => $"{Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{Count.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
