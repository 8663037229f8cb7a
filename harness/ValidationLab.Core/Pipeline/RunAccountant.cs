using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Runners;

namespace ValidationLab.Pipeline;

/// <summary>Sums what a run cost from its responses and the runner's counters.</summary>
public static class RunAccountant
{
    /// <summary>
    /// With counters (endpoint and cache runners) requests, tokens and cost are what this process actually
    /// spent, so a fully cached rerun reports 0 requests and 0 tokens; without them every response counts as one
    /// request. Latency percentiles always come from the answers, cached ones keeping their original latency.
    /// </summary>
    public static RunAccounting Account(IReadOnlyList<ModelResponse> responses, RunnerCounters? counters, int items, TimeSpan wall)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var latencies = responses.Where(r => !r.IsError).Select(r => r.LatencyMs).Order().ToArray();
        var costs = responses.Where(r => r.Usage?.Cost is not null).Select(r => r.Usage!.Cost!.Value).ToList();
        return new RunAccounting
        {
            Requests = counters is null ? responses.Count : (int)counters.RequestsSent,
            CacheHits = (int)(counters?.CacheHits ?? 0),
            Retries = (int)(counters?.Retries ?? 0),
            ErroredRequests = responses.Count(r => r.IsError),
            PromptTokens = counters?.PromptTokens ?? responses.Sum(r => (long)(r.Usage?.PromptTokens ?? 0)),
            CompletionTokens = counters?.CompletionTokens ?? responses.Sum(r => (long)(r.Usage?.CompletionTokens ?? 0)),
            Cost = counters is null ? (costs.Count == 0 ? null : costs.Sum()) : counters.Cost,
            LatencyP50Ms = Percentile(latencies, 0.50),
            LatencyP95Ms = Percentile(latencies, 0.95),
            LatencyP99Ms = Percentile(latencies, 0.99),
            ItemsPerSecond = wall.TotalSeconds > 0 ? Math.Round(items / wall.TotalSeconds, 3) : 0,
            WallSeconds = Math.Round(wall.TotalSeconds, 3),
        };
    }

    /// <summary>Nearest-rank percentile of sorted values; 0 when there are none.</summary>
    public static double Percentile(double[] sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
