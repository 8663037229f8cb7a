using System.Diagnostics;
using ValidationLab.Results;
using Xunit.Abstractions;

namespace ValidationLab.Reports.Tests;

/// <summary>Real runs have thousands of items; the report must stay quick to write and reasonable to open.</summary>
public sealed class PerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Ten_thousand_items_render_well_under_a_second_into_a_reasonable_file()
    {
        (RunResult run, IReadOnlyList<ItemResult> items) = SampleRuns.Large(10_000);
        Render.Bytes(run, items); // warm up the JIT so the timing measures rendering, not compilation

        var watch = Stopwatch.StartNew();
        byte[] bytes = Render.Bytes(run, items);
        watch.Stop();

        long contentBytes = items.Sum(i => (long)(i.Input?.Length ?? 0) + (i.Response?.Length ?? 0) + i.Explanation.Length);
        double overheadPerItem = (bytes.Length - contentBytes) / (double)items.Count;
        output.WriteLine($"10,000 items: {watch.ElapsedMilliseconds} ms, {bytes.Length / 1024} KiB, {overheadPerItem:F0} bytes of markup per item");

        // Typically ~100-200 ms; the bound is loose so a busy CI machine does not fail it.
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");
        Assert.True(overheadPerItem < 1200, $"{overheadPerItem:F0} bytes of markup per item");
    }
}
