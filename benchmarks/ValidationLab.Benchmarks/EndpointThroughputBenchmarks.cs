using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace ValidationLab.Benchmarks;

/// <summary>
/// Endpoint runner overhead (docs/benchmarks.md, "## Endpoint runner"): requests per second through
/// <c>OpenAIRunner</c> (alone, and behind the response cache with every request a miss or every request a hit)
/// against a bare <see cref="HttpClient"/> client doing what any client of the endpoint must do (serialize the chat
/// body, POST, parse the JSON reply), all at the same concurrency in the same process, against a loopback server
/// that answers instantly. One invocation = <see cref="Requests"/> requests, so the Op/s column is requests (items)
/// per second. The workloads are in <see cref="EndpointWorkloads"/>.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class EndpointThroughputBenchmarks
{
    public const int Requests = 2000;

    private EndpointWorkloads _work = null!;

    [Params(16)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup() => _work = new EndpointWorkloads(Concurrency, Requests);

    [GlobalCleanup]
    public void Cleanup() => _work.Dispose();

    /// <summary>The reference: serialize, POST, check status, parse the JSON reply; nothing else.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Requests)]
    public Task BareHttpClient() => _work.BareAsync();

    /// <summary>The runner: body writing, concurrency gate, timeout, retry policy, validation, parsing, accounting.</summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public Task Runner() => _work.RunnerAsync();

    /// <summary>The runner behind the response cache, every request a miss: each answer is committed before it is returned.</summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public Task RunnerWithCacheMisses() => _work.CacheMissesAsync();

    /// <summary>The runner behind the response cache, every request a hit: one indexed lookup, no request goes out.</summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public Task RunnerWithCacheHits() => _work.CacheHitsAsync();

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
