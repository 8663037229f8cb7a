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
    }

    public ISuite Suite { get; }

    public IReadOnlyList<EvalItem> Items { get; }

    /// <summary>Starts[i] is the plan index of item i's first request; Starts[^1] is the suite's request count.</summary>
    public int[] Starts { get; }

    public int RequestCount => Starts[^1];

    /// <summary>
    /// Build every item's requests once, to count them and so that a suite's mistake surfaces before the first model
    /// call (as when the whole plan was held), then let them go.
    /// </summary>
    public static SuitePlan Build(ISuite suite, IReadOnlyList<EvalItem> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var starts = new int[items.Count + 1];
        for (var i = 0; i < items.Count; i++)
        {
            if (!seen.Add(items[i].Id))
            {
                throw new InputException($"suite '{suite.Name}' has item id '{items[i].Id}' twice", items[i].Source, field: "id");
            }

            starts[i + 1] = checked(starts[i] + suite.CreateRequests(items[i]).Count);
        }

        return new SuitePlan(suite, items, starts);
    }

    /// <summary>The requests of items [<paramref name="from"/>, <paramref name="to"/>), in plan order.</summary>
    public ModelRequest[] Chunk(int from, int to)
    {
        var requests = new ModelRequest[Starts[to] - Starts[from]];
        var n = 0;
        for (var i = from; i < to; i++)
        {
            foreach (var request in Requests(i))
            {
                requests[n++] = request;
            }
        }

        return requests;
    }

    /// <summary>Item <paramref name="i"/>'s requests, rebuilt; the suite must give the same number every time.</summary>
    public IReadOnlyList<ModelRequest> Requests(int i)
    {
        var built = Suite.CreateRequests(Items[i]);
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
/// Every planned request in plan order, as <see cref="Runners.IModelRunner.PrepareAsync"/> sees it: built on demand
/// from the items each time it is enumerated, never held. A runner that keeps what it reads (a list of prompts)
/// holds that much; one that looks and lets go (checks, counts, ids) costs a pass over the suites' request building.
/// </summary>
internal sealed class PlannedRequests(IReadOnlyList<SuitePlan> plans) : IReadOnlyList<ModelRequest>
{
    private (SuitePlan Plan, int Item, IReadOnlyList<ModelRequest> Requests)? _last;

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
                    last = (plan, item, plan.Requests(item));
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
            for (var i = 0; i < plan.Items.Count; i++)
            {
                foreach (var request in plan.Requests(i))
                {
                    yield return request;
                }
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
