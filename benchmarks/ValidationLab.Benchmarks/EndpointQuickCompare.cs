using System.Diagnostics;
using System.Globalization;

namespace ValidationLab.Benchmarks;

/// <summary>
/// A Stopwatch cross-check of <see cref="EndpointThroughputBenchmarks"/>: the four workloads interleaved round by
/// round (so drifting machine load hits them alike), reporting the median and best requests/s and the bytes allocated
/// per request (<see cref="GC.GetTotalAllocatedBytes(bool)"/>, all threads, the loopback server included) and the
/// process CPU time per request (both cores, the loopback server included).
/// </summary>
public static class EndpointQuickCompare
{
    public static void Run(TextWriter output, int concurrency = 16, int requests = 2000, int rounds = 15, TimeSpan serverDelay = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"concurrency {concurrency}, {requests} requests a round, {rounds} rounds, server delay {serverDelay.TotalMilliseconds:0.#} ms"));
        using var work = new EndpointWorkloads(concurrency, requests, serverDelay);
        var names = new[] { "bare", "runner", "cache-miss", "cache-hit" };
        var runs = new Func<Task>[] { work.BareAsync, work.RunnerAsync, work.CacheMissesAsync, work.CacheHitsAsync };
        var rates = names.Select(_ => new List<double>()).ToArray();
        var bytes = names.Select(_ => new List<double>()).ToArray();
        var cpu = names.Select(_ => new List<double>()).ToArray();
        using var process = Process.GetCurrentProcess();
        for (var warm = 0; warm < 3; warm++)
        {
            foreach (var run in runs)
            {
                run().GetAwaiter().GetResult();
            }
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < runs.Length; k++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var before = GC.GetTotalAllocatedBytes(precise: false);
                var started = Stopwatch.GetTimestamp();
                runs[k]().GetAwaiter().GetResult();
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                process.Refresh();
                cpu[k].Add((process.TotalProcessorTime - cpuBefore).TotalMicroseconds / requests);
                rates[k].Add(requests / seconds);
                bytes[k].Add((GC.GetTotalAllocatedBytes(precise: false) - before) / (double)requests);
            }
        }

        var bareMedian = Median(rates[0]);
        for (var k = 0; k < runs.Length; k++)
        {
            var median = Median(rates[k]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{names[k],-11} median {median,9:N0} req/s  best {rates[k].Max(),9:N0}  worst {rates[k].Min(),9:N0}  {median / bareMedian,6:P1} of bare  {Median(bytes[k]),7:N0} B/request  {Median(cpu[k]),5:F1} µs CPU/request"));
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
