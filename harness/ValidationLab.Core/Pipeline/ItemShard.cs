using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ValidationLab.Configuration;
using ValidationLab.Errors;
using ValidationLab.Items;

namespace ValidationLab.Pipeline;

/// <summary>
/// Applies <c>--shard I/N</c>: an item belongs to shard I when the first 8 bytes of SHA-256("suite\nid"), read as a
/// big-endian unsigned number, are I modulo N. The item's place in the file plays no part, so the partition is the
/// same when the data file is reordered, on every machine and .NET version. The shard is taken after
/// <see cref="ItemLimit"/>: the shards of a limited run partition exactly the items the unsharded limited run
/// evaluates, and merging them gives that run. Kept items keep their file order.
/// </summary>
public static class ItemShard
{
    /// <summary>What the flag and the config key expect, for messages and help.</summary>
    public const string Syntax = "INDEX/COUNT with 0 <= INDEX < COUNT, e.g. 0/4 (INDEX is 0-based, like a Kubernetes Indexed Job's JOB_COMPLETION_INDEX)";

    public static IReadOnlyList<EvalItem> Apply(IReadOnlyList<EvalItem> items, string suite, RunContext run)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Shard is not { } shard)
        {
            return items;
        }

        return items.Where(item => IndexOf(suite, item.Id, shard.Count) == shard.Index).ToList();
    }

    /// <summary>The shard (0..count-1) item <paramref name="itemId"/> of <paramref name="suite"/> belongs to.</summary>
    public static int IndexOf(string suite, string itemId, int count)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(itemId);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(suite + "\n" + itemId), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)count);
    }

    /// <summary>
    /// Parses "I/N" as given to <c>--shard</c> or the config's <c>shard:</c> key. Anything else ("3/2", "0/0", "a/b",
    /// "-1/4") is an <see cref="InputException"/> naming <paramref name="field"/>, raised before anything runs.
    /// </summary>
    public static RunShard Parse(string text, string? origin, string field, long? line = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new InputException($"'{text}' is not a shard; expected {Syntax}", origin, line, field);
        }

        if (count < 1)
        {
            throw new InputException($"'{text}': the shard count must be 1 or more; expected {Syntax}", origin, line, field);
        }

        if (index >= count)
        {
            throw new InputException($"'{text}': shard index {index.ToString(CultureInfo.InvariantCulture)} is not below the count {count.ToString(CultureInfo.InvariantCulture)} (indexes are 0-based: 0 to {(count - 1).ToString(CultureInfo.InvariantCulture)})", origin, line, field);
        }

        return new RunShard(index, count);
    }
}
