using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ValidationLab.Reports.Html;
using ValidationLab.Reports.Tests;
using ValidationLab.Results;

namespace ValidationLab.Benchmarks;

/// <summary>
/// report.html for 10,000 items (the figure that used to be a timed test, tests/ValidationLab.Reports.Tests/
/// PerformanceTests.cs), as a ratio against serialising the same items to JSON once: the least any writer that
/// touches every item must pay. Sample data: the tests' SampleRuns.Large, linked in.
/// </summary>
[MemoryDiagnoser]
public class ReportRenderBenchmarks
{
    private RunResult _run = null!;
    private IReadOnlyList<ItemResult> _items = [];

    [GlobalSetup]
    public void Setup() => (_run, _items) = SampleRuns.Large(10_000);

    [Benchmark(Baseline = true, Description = "JSON of the same 10,000 items")]
    public long JsonOfTheItems()
    {
        using var stream = new MemoryStream();
        JsonSerializer.Serialize(stream, _items);
        return stream.Length;
    }

    [Benchmark(Description = "report.html, 10,000 items")]
    public long HtmlReport()
    {
        using var stream = new MemoryStream();
        new HtmlReportExporter().WriteAsync(_run, _items, stream, CancellationToken.None).GetAwaiter().GetResult();
        return stream.Length;
    }
}
