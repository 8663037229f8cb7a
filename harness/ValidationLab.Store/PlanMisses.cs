using System.Collections;
using ValidationLab.Requests;

namespace ValidationLab.Store;

/// <summary>
/// The requests of a plan that the cache cannot answer, as <see cref="CachingModelRunner.PrepareAsync"/> hands them to
/// the inner runner: their positions in the plan (4 bytes each), each request read from the plan when asked for, in plan
/// order. A plan built on demand (a streaming suite's) is then never held: a first cached run, where every request
/// misses, used to keep every request with its prompt in a list.
/// </summary>
internal sealed class PlanMisses(IReadOnlyList<ModelRequest> plan, int[] positions) : IReadOnlyList<ModelRequest>
{
    /// <summary>
    /// The requests of <paramref name="plan"/> for which <paramref name="cached"/> is false, found in one pass (keys
    /// computed and dropped request by request); the plan itself when nothing is cached, an empty list when all is.
    /// </summary>
    public static IReadOnlyList<ModelRequest> Of(IReadOnlyList<ModelRequest> plan, Func<ModelRequest, bool> cached)
    {
        var positions = new List<int>();
        var index = 0;
        foreach (var request in plan)
        {
            if (!cached(request))
            {
                positions.Add(index);
            }

            index++;
        }

        return positions.Count == index ? plan
            : positions.Count == 0 ? []
            : new PlanMisses(plan, [.. positions]);
    }

    public int Count => positions.Length;

    public ModelRequest this[int index] => plan[positions[index]];

    public IEnumerator<ModelRequest> GetEnumerator()
    {
        foreach (var position in positions)
        {
            yield return plan[position];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
