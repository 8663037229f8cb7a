namespace ValidationLab.Runners;

/// <summary>What a runner did so far in this process.</summary>
public sealed record RunnerCounters
{
    /// <summary>HTTP requests sent, every attempt counted (retries and capability probes included).</summary>
    public long RequestsSent { get; init; }

    /// <summary>Attempts that failed and were tried again.</summary>
    public long Retries { get; init; }

    /// <summary>Requests given up (retries exhausted or a non-retryable failure): errored items.</summary>
    public long FailedRequests { get; init; }

    /// <summary>Requests answered from the response cache (or joined to an identical request in flight).</summary>
    public long CacheHits { get; init; }

    /// <summary>Prompt tokens reported by the server for answers obtained in this process.</summary>
    public long PromptTokens { get; init; }

    /// <summary>Completion tokens reported by the server for answers obtained in this process.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Cost of those tokens when a price table is configured; null otherwise.</summary>
    public decimal? Cost { get; init; }

    /// <summary>Total time requests spent waiting on the configured requests/tokens-per-minute limits.</summary>
    public TimeSpan RateLimitWait { get; init; }

    /// <summary>Adds the counters of a decorator to those of the runner it wraps.</summary>
    public RunnerCounters Add(RunnerCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new RunnerCounters
        {
            RequestsSent = RequestsSent + other.RequestsSent,
            Retries = Retries + other.Retries,
            FailedRequests = FailedRequests + other.FailedRequests,
            CacheHits = CacheHits + other.CacheHits,
            PromptTokens = PromptTokens + other.PromptTokens,
            CompletionTokens = CompletionTokens + other.CompletionTokens,
            Cost = Cost is null && other.Cost is null ? null : (Cost ?? 0m) + (other.Cost ?? 0m),
            RateLimitWait = RateLimitWait + other.RateLimitWait,
        };
    }
}
