using System.Globalization;
using ValidationLab.Errors;

namespace ValidationLab.Store;

/// <summary>
/// The refusals both registries give when shards are recorded (one wording for SQLite and PostgreSQL): each is an
/// input error naming the sharded run, the shard and what to do, raised before anything of the shard is written.
/// </summary>
internal static class ShardRules
{
    private static string Of(int index, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{index}/{count}");

    public static void CheckStart(ShardStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentException.ThrowIfNullOrWhiteSpace(start.ShardRunId);
        if (start.RunId != ShardedRun.IdFor(start.EvaluationSha256, start.Count) || start.Index < 0 || start.Index >= start.Count)
        {
            throw new ArgumentException($"shard {Of(start.Index, start.Count)} does not belong to sharded run '{start.RunId}'", nameof(start));
        }
    }

    /// <summary>The sharded run already holds shards of another evaluation (an evaluation key colliding in its first 16 hex digits).</summary>
    public static InputException OtherEvaluation(ShardStart start, string held, string store) =>
        new($"sharded run {start.RunId} in {store} holds shards of evaluation {held}, not of {start.EvaluationSha256}; run this shard with --no-registry", field: "--shard");

    /// <summary>The shard index is held by another shard run and --overwrite was not given.</summary>
    public static InputException Taken(ShardStart start, ShardStatus held, string store) =>
        new($"shard {Of(start.Index, start.Count)} of sharded run {start.RunId} in {store} is already {held.Status} as run {held.ShardRunId} (started {StoreTime.Format(held.StartedUtc)}); a second run of the same shard is refused so that its items are not recorded twice: pass --overwrite to replace that shard, or --resume to continue it", field: "--shard");

    /// <summary>Another shard run took the shard over (--overwrite) while this one ran.</summary>
    public static InputException TakenOver(ShardRegistration registration, string? holder, string store) =>
        new($"shard {registration.Index.ToString(CultureInfo.InvariantCulture)} of sharded run {registration.RunId} in {store} is now held by run {holder ?? "(none)"}, not by this run {registration.ShardRunId} (was it run again with --overwrite?); this run's items are not recorded", field: "--shard");

    /// <summary>An item of this shard is already recorded by another shard of the run.</summary>
    public static InputException Overlap(ShardRegistration registration, string suite, string itemId, int otherIndex, string store) =>
        new($"item '{itemId}' of suite '{suite}' is already recorded in sharded run {registration.RunId} ({store}) by shard {otherIndex.ToString(CultureInfo.InvariantCulture)}, and shard {registration.Index.ToString(CultureInfo.InvariantCulture)} recorded it again: overlapping shards (do both shards run the same configuration and data?); nothing of shard {registration.Index.ToString(CultureInfo.InvariantCulture)} is recorded", field: "item_id");

    /// <summary>Two items of one shard with the same suite and id.</summary>
    public static InputException Duplicate(ShardRegistration registration, string suite, string itemId, string store) =>
        new($"item '{itemId}' of suite '{suite}' is twice in shard {registration.Index.ToString(CultureInfo.InvariantCulture)} of sharded run {registration.RunId} ({store}); nothing of it is recorded", field: "item_id");

    public static string Status(bool failed) => failed ? "failed" : "finished";
}
