using ValidationLab.Results;
using Xunit.Abstractions;

namespace ValidationLab.Reports.Tests;

/// <summary>
/// Real runs have thousands of items; the report must stay reasonable to open. How fast it renders is measured in
/// benchmarks/ValidationLab.Benchmarks (ReportRenderBenchmarks), never timed here: the machine is shared.
/// </summary>
public sealed class PerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Ten_thousand_items_render_into_a_reasonable_file()
    {
        (RunResult run, IReadOnlyList<ItemResult> items) = SampleRuns.Large(10_000);

        byte[] bytes = Render.Bytes(run, items);

        long contentBytes = items.Sum(i => (long)(i.Input?.Length ?? 0) + (i.Response?.Length ?? 0) + i.Explanation.Length);
        double overheadPerItem = (bytes.Length - contentBytes) / (double)items.Count;
        output.WriteLine($"10,000 items: {bytes.Length / 1024} KiB, {overheadPerItem:F0} bytes of markup per item");
        Assert.True(overheadPerItem < 1200, $"{overheadPerItem:F0} bytes of markup per item");
    }
}
