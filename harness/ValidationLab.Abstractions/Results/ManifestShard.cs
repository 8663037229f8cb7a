namespace ValidationLab.Results;

/// <summary>
/// Which part of which evaluation a shard run evaluated: <c>{"index": I, "count": N, "evaluation_sha256": H}</c>.
/// <see cref="EvaluationSha256"/> is the config_sha256 the whole evaluation has (the configuration without its
/// shard): equal in every shard of one evaluation, so merge can tell shards of one evaluation from look-alikes.
/// </summary>
public sealed record ManifestShard(int Index, int Count, string EvaluationSha256);
