namespace ValidationLab.Results;

/// <summary>What the run cost: requests, retries, cache hits, tokens, latency percentiles, throughput.</summary>
public sealed record RunAccounting
{
    public int Requests { get; init; }

    public int CacheHits { get; init; }

    public int Retries { get; init; }

    public int ErroredRequests { get; init; }

    public long PromptTokens { get; init; }

    public long CompletionTokens { get; init; }

    public decimal? Cost { get; init; }

    public double LatencyP50Ms { get; init; }

    public double LatencyP95Ms { get; init; }

    public double LatencyP99Ms { get; init; }

    public double ItemsPerSecond { get; init; }

    public double WallSeconds { get; init; }
}
