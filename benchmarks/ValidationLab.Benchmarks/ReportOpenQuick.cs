using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using ValidationLab.Reports.Html;
using ValidationLab.Reports.Pdf;
using ValidationLab.Reports.Tests;
using ValidationLab.Results;

namespace ValidationLab.Benchmarks;

/// <summary>
/// <c>report-quick [small] [large] [rounds]</c>: the report as a reviewer meets it, at two sizes in one command.
/// (1) Rendering report.html against serialising the same items to JSON (ratio; goal ≤ 2×). (2) Chromium opening the
/// page until the item browser has drawn its first page, and a filter (outcome = incorrect) answering, at the large
/// size against the small (ratio; goal ≤ 2×). Sizes are measured interleaved, round after round, and medians are
/// reported, so the machine changing speed affects both alike.
/// </summary>
public static class ReportOpenQuick
{
    public static async Task RunAsync(TextWriter output, int small, int large, int rounds)
    {
        string browserPath = PdfPrinter.FindBrowser() ?? throw new InvalidOperationException("no Chromium: apt-get install chromium");
        string dir = Path.Combine(Path.GetTempPath(), "vl-report-quick-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var sizes = new[] { small, large };
            var data = sizes.Select(SampleRuns.Large).ToArray();
            var render = sizes.Select(_ => new List<double>()).ToArray();
            var json = sizes.Select(_ => new List<double>()).ToArray();
            var open = sizes.Select(_ => new List<double>()).ToArray();
            var filter = sizes.Select(_ => new List<double>()).ToArray();
            var bytes = new long[sizes.Length];

            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await playwright.Chromium.LaunchAsync(PdfPrinter.LaunchOptions(browserPath));
            for (int round = 0; round < rounds; round++)
            {
                for (int s = 0; s < sizes.Length; s++)
                {
                    (RunResult run, IReadOnlyList<ItemResult> items) = data[s];
                    var sw = Stopwatch.StartNew();
                    using (var stream = new MemoryStream())
                    {
                        JsonSerializer.Serialize(stream, items);
                    }

                    json[s].Add(sw.Elapsed.TotalMilliseconds);
                    string path = Path.Combine(dir, "report-" + sizes[s].ToString(CultureInfo.InvariantCulture) + ".html");
                    sw.Restart();
                    await using (var file = File.Create(path))
                    {
                        await new HtmlReportExporter().WriteAsync(run, items, file, CancellationToken.None);
                    }

                    render[s].Add(sw.Elapsed.TotalMilliseconds);
                    bytes[s] = new FileInfo(path).Length;

                    IPage page = await browser.NewPageAsync();
                    sw.Restart();
                    await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 0 });
                    await page.WaitForFunctionAsync("() => document.getElementById('p-status').textContent !== ''", null, new PageWaitForFunctionOptions { Timeout = 0 });
                    open[s].Add(sw.Elapsed.TotalMilliseconds);

                    string before = await page.InnerTextAsync("#p-status");
                    sw.Restart();
                    await page.SelectOptionAsync("#f-status", "i");
                    await page.WaitForFunctionAsync("b => document.getElementById('p-status').textContent !== b", before, new PageWaitForFunctionOptions { Timeout = 0 });
                    filter[s].Add(sw.Elapsed.TotalMilliseconds);
                    await page.CloseAsync();
                }
            }

            output.WriteLine($"report-quick: {rounds} rounds, medians; Chromium {browser.Version}");
            output.WriteLine("| items | report.html | JSON of the items | render | render / JSON | open to first page | filter | ");
            output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
            for (int s = 0; s < sizes.Length; s++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {sizes[s]:N0} | {bytes[s] / 1e6:F1} MB | {Median(json[s]):F0} ms | {Median(render[s]):F0} ms | {Median(render[s]) / Median(json[s]):F2}× | {Median(open[s]):F0} ms | {Median(filter[s]):F0} ms |"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"large / small: open {Median(open[1]) / Median(open[0]):F2}×, filter {Median(filter[1]) / Median(filter[0]):F2}× (goal ≤ 2×); render / JSON at {sizes[1]:N0}: {Median(render[1]) / Median(json[1]):F2}× (goal ≤ 2×)"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
