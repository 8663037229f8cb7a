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

    /// <summary>Another shard run recorded this shard with other results, and --overwrite was not given.</summary>
    public static InputException Differs(ShardRegistration registration, ShardStatus held, string difference, string store) =>
        new($"shard {Of(registration.Index, held.Count)} of sharded run {registration.RunId} in {store} is already recorded by run {held.ShardRunId} ({held.Status}, {held.ItemCount.ToString(CultureInfo.InvariantCulture)} items) with different results ({difference}); this run's items are not recorded. Run the shard again with --overwrite to replace that record", field: "--shard");

    /// <summary>The first item whose recorded result differs from <paramref name="items"/>', or null when they are the same results.</summary>
    public static string? FirstDifference(IReadOnlyList<ItemRow> recorded, IReadOnlyList<ItemRow> items)
    {
        static (string, bool?, double?, bool?) Result(ItemRow r) => (r.Status, r.Correct, r.Score, r.Label);
        var held = recorded.ToDictionary(r => (r.Suite, r.ItemId), Result);
        foreach (var item in items)
        {
            if (!held.Remove((item.Suite, item.ItemId), out var was))
            {
                return $"item '{item.ItemId}' of suite '{item.Suite}' is new";
            }

            if (was != Result(item))
            {
                return $"item '{item.ItemId}' of suite '{item.Suite}' was {was.Item1}, score {was.Item3?.ToString(CultureInfo.InvariantCulture) ?? "none"}, now {item.Status}, score {item.Score?.ToString(CultureInfo.InvariantCulture) ?? "none"}";
            }
        }

        return held.Count == 0 ? null : $"item '{held.Keys.First().ItemId}' of suite '{held.Keys.First().Suite}' is missing";
    }

    /// <summary>An item of this shard is already recorded by another shard of the run.</summary>
    public static InputException Overlap(ShardRegistration registration, string suite, string itemId, int otherIndex, string store) =>
        new($"item '{itemId}' of suite '{suite}' is already recorded in sharded run {registration.RunId} ({store}) by shard {otherIndex.ToString(CultureInfo.InvariantCulture)}, and shard {registration.Index.ToString(CultureInfo.InvariantCulture)} recorded it again: overlapping shards (do both shards run the same configuration and data?); nothing of shard {registration.Index.ToString(CultureInfo.InvariantCulture)} is recorded", field: "item_id");

    /// <summary>Two items of one shard with the same suite and id.</summary>
    public static InputException Duplicate(ShardRegistration registration, string suite, string itemId, string store) =>
        new($"item '{itemId}' of suite '{suite}' is twice in shard {registration.Index.ToString(CultureInfo.InvariantCulture)} of sharded run {registration.RunId} ({store}); nothing of it is recorded", field: "item_id");

    public static string Status(bool failed) => failed ? "failed" : "finished";
}
