namespace ValidationLab.Sharding;

/// <summary>
/// A shard run folder to merge. <paramref name="Label"/> names it in messages and in the loaded run when the folder
/// is a temporary re-export from the run registry ("registry:RUN_ID/shard-1"), so that no message names a folder the
/// user never had.
/// </summary>
public sealed record ShardFolder(string Directory, string? Label = null);
