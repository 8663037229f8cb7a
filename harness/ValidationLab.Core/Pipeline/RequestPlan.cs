using System.Collections;
using ValidationLab.Errors;
using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Suites;

namespace ValidationLab.Pipeline;

/// <summary>
/// One suite's items, checked (unique ids), with the number of requests each needs. The requests themselves are not
/// kept: they are built again chunk by chunk when they are sent (<see cref="Chunk"/>), so a run holds the items and
/// one chunk of requests, not a copy of every patient history in every request of the run.
/// </summary>
internal sealed class SuitePlan
{
    private SuitePlan(ISuite suite, IReadOnlyList<EvalItem> items, int[] starts)
    {
        Suite = suite;
        Items = items;
        Starts = starts;
        Streaming = suite as IStreamingSuite;
    }

    public ISuite Suite { get; }

    /// <summary>The items, or for a streaming suite the index entries (no payload): the full items come from <see cref="Cursor"/>.</summary>
    public IReadOnlyList<EvalItem> Items { get; }

    /// <summary>Set when the suite streams (<see cref="IStreamingSuite"/>): <see cref="Items"/> is its index.</summary>
    public IStreamingSuite? Streaming { get; }

    /// <summary>Starts[i] is the plan index of item i's first request; Starts[^1] is the suite's request count.</summary>
    public int[] Starts { get; }

    public int RequestCount => Starts[^1];

    /// <summary>
    /// Build every item's requests once, to count them and so that a suite's mistake surfaces before the first model
    /// call (as when the whole plan was held), then let them go. A streaming suite's index is counted by the suite
    /// (its items have no payload to build requests from); the count is checked when each item is built.
    /// </summary>
    public static SuitePlan Build(ISuite suite, IReadOnlyList<EvalItem> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var starts = new int[items.Count + 1];
        var streaming = suite as IStreamingSuite;
        for (var i = 0; i < items.Count; i++)
        {
            if (!seen.Add(items[i].Id))
            {
                throw new InputException($"suite '{suite.Name}' has item id '{items[i].Id}' twice", items[i].Source, field: "id");
            }

            starts[i + 1] = checked(starts[i] + (streaming?.CountRequests(items[i]) ?? suite.CreateRequests(items[i]).Count));
        }

        return new SuitePlan(suite, items, starts);
    }

    /// <summary>Reads the full items in plan order (for a streaming suite, chunk by chunk from the suite).</summary>
    public ItemCursor Cursor(CancellationToken cancellationToken) => new(this, cancellationToken);

    /// <summary>The full items [<paramref name="from"/>, <paramref name="to"/>), read forward through <paramref name="cursor"/>.</summary>
    public static EvalItem[] Read(ItemCursor cursor, int from, int to)
    {
        var items = new EvalItem[to - from];
        for (var i = from; i < to; i++)
        {
            items[i - from] = cursor.Get(i);
        }

        return items;
    }

    /// <summary>The requests of items [<paramref name="from"/>, <paramref name="to"/>) (<paramref name="items"/>, read by <see cref="Read"/>), in plan order.</summary>
    public ModelRequest[] Chunk(int from, int to, EvalItem[] items)
    {
        var requests = new ModelRequest[Starts[to] - Starts[from]];
        var n = 0;
        for (var i = from; i < to; i++)
        {
            foreach (var request in Requests(i, items[i - from]))
            {
                requests[n++] = request;
            }
        }

        return requests;
    }

    /// <summary>Item <paramref name="i"/>'s requests, rebuilt; the suite must give the same number every time.</summary>
    public IReadOnlyList<ModelRequest> Requests(int i, EvalItem item)
    {
        var built = Suite.CreateRequests(item);
        if (built.Count != Starts[i + 1] - Starts[i])
        {
            throw new InvalidOperationException(
                $"suite '{Suite.Name}' planned {Starts[i + 1] - Starts[i]} request(s) for item '{Items[i].Id}' and now builds {built.Count}: CreateRequests must be deterministic");
        }

        return built;
    }

    /// <summary>The end (exclusive) of the chunk starting at item <paramref name="from"/>: at least one item, then up to <paramref name="requests"/> requests.</summary>
    public int ChunkEnd(int from, int requests)
    {
        var to = from + 1;
        while (to < Items.Count && Starts[to + 1] - Starts[from] <= requests)
        {
            to++;
        }

        return to;
    }
}

/// <summary>
/// The full items of a plan, read forward: for a loaded suite its items; for a streaming suite the lists it hands
/// out, held one at a time (going back starts the suite's reading again). Checks that the suite hands out the
/// items of its index, in order.
/// </summary>
internal sealed class ItemCursor(SuitePlan plan, CancellationToken cancellationToken) : IDisposable
{
    private IEnumerator<IReadOnlyList<EvalItem>>? _lists;
    private IReadOnlyList<EvalItem> _current = [];
    private int _offset;
    private int _position;

    public EvalItem Get(int i)
    {
        if (plan.Streaming is not { } streaming)
        {
            return plan.Items[i];
        }

        if (_lists is null || i < _position)
        {
            _lists?.Dispose();
            _lists = streaming.Load(plan.Items, cancellationToken).GetEnumerator();
            (_current, _offset, _position) = ([], 0, 0);
        }

        while (true)
        {
            if (_offset < _current.Count)
            {
                if (_position == i)
                {
                    var item = _current[_offset];
                    return string.Equals(item.Id, plan.Items[i].Id, StringComparison.Ordinal)
                        ? item
                        : throw new InvalidOperationException($"suite '{plan.Suite.Name}' handed out item '{item.Id}' where its index has '{plan.Items[i].Id}': Load must follow the index");
                }

                _offset++;
                _position++;
                continue;
            }

            if (!_lists.MoveNext())
            {
                throw new InvalidOperationException($"suite '{plan.Suite.Name}' handed out {_position} item(s) of the {plan.Items.Count} chosen: Load must give every one");
            }

            (_current, _offset) = (_lists.Current, 0);
        }
    }

    public void Dispose() => _lists?.Dispose();
}

/// <summary>
/// Every planned request in plan order, as <see cref="Runners.IModelRunner.PrepareAsync"/> sees it: built on demand
/// from the items each time it is enumerated, never held. A runner that keeps what it reads (a list of prompts)
/// holds that much; one that looks and lets go (checks, counts, ids) costs a pass over the suites' request building,
/// and for a streaming suite a pass over its data (the items are read again as they are when answered).
/// </summary>
internal sealed class PlannedRequests(IReadOnlyList<SuitePlan> plans, CancellationToken cancellationToken) : IReadOnlyList<ModelRequest>
{
    private (SuitePlan Plan, int Item, IReadOnlyList<ModelRequest> Requests)? _last;
    private (SuitePlan Plan, ItemCursor Cursor)? _cursor;

    public int Count { get; } = plans.Sum(p => p.RequestCount);

    public ModelRequest this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            foreach (var plan in plans)
            {
                if (index >= plan.RequestCount)
                {
                    index -= plan.RequestCount;
                    continue;
                }

                // The item holding request 'index': the last start at or before it (items may have no request).
                var item = Array.BinarySearch(plan.Starts, 0, plan.Items.Count, index);
                item = item >= 0 ? item : ~item - 1;
                while (item + 1 < plan.Items.Count && plan.Starts[item + 1] <= index)
                {
                    item++;
                }

                if (_last is not { } last || last.Plan != plan || last.Item != item)
                {
                    if (_cursor is not { } cursor || cursor.Plan != plan)
                    {
                        _cursor?.Cursor.Dispose();
                        cursor = (plan, plan.Cursor(cancellationToken));
                        _cursor = cursor;
                    }

                    last = (plan, item, plan.Requests(item, cursor.Cursor.Get(item)));
                    _last = last;
                }

                return last.Requests[index - plan.Starts[item]];
            }

            throw new InvalidOperationException("unreachable: index checked against Count");
        }
    }

    public IEnumerator<ModelRequest> GetEnumerator()
    {
        foreach (var plan in plans)
        {
            using var items = plan.Cursor(cancellationToken);
            for (var i = 0; i < plan.Items.Count; i++)
            {
                foreach (var request in plan.Requests(i, items.Get(i)))
                {
                    yield return request;
                }
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
