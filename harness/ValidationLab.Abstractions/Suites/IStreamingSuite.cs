using ValidationLab.Items;

namespace ValidationLab.Suites;

/// <summary>
/// Optional for a suite whose items are too heavy to hold all at once (a patient's history behind every decision
/// point). The pipeline then never loads every item: it asks for the index (every item's id, cluster, strata and
/// reviewer text, without its payload), applies <c>--limit</c>, <c>--sample</c>, <c>--shard</c> and the slice
/// validator to it, and then reads the chosen items with their payloads in bounded chunks, building, answering and
/// scoring each chunk before it asks for the next. A suite without it is loaded whole through
/// <see cref="ISuite.LoadAsync"/>, with the same results.
/// </summary>
public interface IStreamingSuite
{
    /// <summary>
    /// Every item <see cref="ISuite.LoadAsync"/> would load, in the same order, with the same id, cluster, strata,
    /// gold and source, but without the payload (it must not hold what the items' requests are built from); its
    /// input may be left empty (the full item's is the one scored).
    /// Validates the data as <see cref="ISuite.LoadAsync"/> does: the same <see cref="Errors.InputException"/>s.
    /// </summary>
    Task<IReadOnlyList<EvalItem>> IndexAsync(CancellationToken cancellationToken);

    /// <summary>
    /// How many requests <see cref="ISuite.CreateRequests"/> will build for the full item behind
    /// <paramref name="indexed"/> (an item of the index); the pipeline checks it when the item is built.
    /// </summary>
    int CountRequests(EvalItem indexed);

    /// <summary>
    /// The full items (with payloads) behind <paramref name="chosen"/> (a subsequence of the index, in index order),
    /// in that order, a few at a time: each list is let go before the next is asked for, so memory holds one list and
    /// the pipeline's current chunk. Enumerable more than once (each enumeration reads the data again).
    /// </summary>
    IEnumerable<IReadOnlyList<EvalItem>> Load(IReadOnlyList<EvalItem> chosen, CancellationToken cancellationToken);
}
