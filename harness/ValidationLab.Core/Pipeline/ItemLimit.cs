using System.Globalization;
using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Configuration;

namespace ValidationLab.Pipeline;

/// <summary>
/// Applies <c>--limit</c>: the first N items of each suite in file order, or with <c>--sample</c> N items chosen by
/// SHA-256 of "seed:suite:id" (like the exemplar draw: the same seed gives the same items on every machine and .NET
/// version, another seed another sample). Sampled items keep their file order.
/// </summary>
public static class ItemLimit
{
    public static IReadOnlyList<EvalItem> Apply(IReadOnlyList<EvalItem> items, string suite, RunContext run)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Limit is not { } limit || limit.Count >= items.Count)
        {
            return items;
        }

        if (!limit.Sampled)
        {
            return items.Take(limit.Count).ToList();
        }

        var prefix = $"{run.Seed.ToString(CultureInfo.InvariantCulture)}:{suite}:";
        var chosen = items.Select((item, index) => (item, index))
            .OrderBy(x => RequestHasher.Sha256Hex(prefix + x.item.Id), StringComparer.Ordinal)
            .ThenBy(x => x.index)
            .Take(limit.Count)
            .OrderBy(x => x.index)
            .Select(x => x.item)
            .ToList();
        return chosen;
    }
}
