using System.Collections;
using ValidationLab.Results;

namespace ValidationLab.Output;

/// <summary>A run's item results as one list, suite after suite, each part held or read back from a file.</summary>
internal sealed class ItemSegments(IReadOnlyList<IReadOnlyList<ItemResult>> parts) : IReadOnlyList<ItemResult>
{
    public int Count { get; } = parts.Sum(p => p.Count);

    /// <summary>The parts, suite after suite.</summary>
    public IReadOnlyList<IReadOnlyList<ItemResult>> Parts => parts;

    public ItemResult this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            foreach (var part in parts)
            {
                if (index < part.Count)
                {
                    return part[index];
                }

                index -= part.Count;
            }

            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    public IEnumerator<ItemResult> GetEnumerator() => parts.SelectMany(p => p).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
