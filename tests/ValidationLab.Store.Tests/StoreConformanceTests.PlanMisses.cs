using System.Collections;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store.Tests;

// The cache's misses are read from the plan when the inner runner asks for them: a first cached run of a streaming
// suite (every request a miss) does not hold every request with its prompt.
public abstract partial class StoreConformanceTests
{
    [StoreFact]
    public async Task The_cache_hands_the_inner_runner_its_misses_read_from_the_plan_on_demand_not_collected()
    {
        using var store = Open();
        for (var i = 0; i < 40; i += 4)
        {
            await Put(store.Responses, i); // every fourth request cached
        }

        var plan = new OnDemandPlan(40);
        var inner = new PlanRecordingRunner();
        await using var runner = new CachingModelRunner(inner, store.Responses);
        await runner.PrepareAsync(plan, default);

        // The scan builds each request once and keeps none of them; the inner runner's enumeration of its 30 misses
        // builds them again, one at a time (a collected list of misses would build nothing more).
        Assert.Equal(40 + 30, plan.Built);
        Assert.Equal(Enumerable.Range(0, 40).Where(i => i % 4 != 0).Select(i => "i" + i), inner.Seen);
        Assert.Equal(30, inner.Count);
    }

    /// <summary>A plan whose requests are built each time they are read (as the pipeline's plan of a streaming suite).</summary>
    private sealed class OnDemandPlan(int count) : IReadOnlyList<ModelRequest>
    {
        public int Built { get; private set; }

        public int Count => count;

        public ModelRequest this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
                Built++;
                return Request(index);
            }
        }

        public IEnumerator<ModelRequest> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>An inner runner that reads the plan it is prepared with (ids only) and answers nothing.</summary>
    private sealed class PlanRecordingRunner : IModelRunner
    {
        public List<string> Seen { get; } = [];

        public int Count { get; private set; }

        public RunnerIdentity Identity => StoreConformanceTests.Identity;

        public IReadOnlySet<RequestKind> SupportedKinds { get; } = new HashSet<RequestKind> { RequestKind.Generate };

        public int MaxConcurrency => 1;

        public ValueTask<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<ModelRequest> plan, CancellationToken cancellationToken)
        {
            Count = plan.Count;
            Seen.AddRange(plan.Select(r => r.ItemId));
            return ValueTask.FromResult<IReadOnlyList<string>>([]);
        }

        public Task<ModelResponse> ExecuteAsync(ModelRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not called by these tests");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
