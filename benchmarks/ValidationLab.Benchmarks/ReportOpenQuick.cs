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
/// page until the item browser has drawn its first page, then until the whole file is loaded (load event), and a
/// filter (outcome = incorrect) answering after that, at the large size against the small (ratio; goal ≤ 2×). Sizes are measured interleaved, round after round, and medians are
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
            string[]? medqa = MedQaTexts();
            var data = sizes.Select(n => WithRealText(SampleRuns.Large(n), medqa)).ToArray();
            output.WriteLine(medqa is null
                ? "item text: SampleRuns.Large's one repeated question (../shared/data/medqa/test.jsonl not found): compresses far better than real text"
                : $"item text: the {medqa.Length:N0} real MedQA test questions in turn, outputs quoting another question (realistic compression)");
            var render = sizes.Select(_ => new List<double>()).ToArray();
            var json = sizes.Select(_ => new List<double>()).ToArray();
            var open = sizes.Select(_ => new List<double>()).ToArray();
            var loaded = sizes.Select(_ => new List<double>()).ToArray();
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
                    // Not waiting for the load event: the page draws its first item page while the rest of the items'
                    // text is still arriving (it follows the page's script), and that is when a reviewer can start.
                    await page.GotoAsync(new Uri(path).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Commit, Timeout = 0 });
                    await page.WaitForFunctionAsync("() => { const s = document.getElementById('p-status'); return s !== null && s.textContent !== ''; }", null, new PageWaitForFunctionOptions { Timeout = 0 });
                    open[s].Add(sw.Elapsed.TotalMilliseconds);
                    await page.WaitForLoadStateAsync(LoadState.Load, new PageWaitForLoadStateOptions { Timeout = 0 });
                    loaded[s].Add(sw.Elapsed.TotalMilliseconds);

                    string before = await page.InnerTextAsync("#p-status");
                    sw.Restart();
                    await page.SelectOptionAsync("#f-status", "i");
                    await page.WaitForFunctionAsync("b => document.getElementById('p-status').textContent !== b", before, new PageWaitForFunctionOptions { Timeout = 0 });
                    filter[s].Add(sw.Elapsed.TotalMilliseconds);
                    await page.CloseAsync();
                }
            }

            output.WriteLine($"report-quick: {rounds} rounds, medians; Chromium {browser.Version}");
            output.WriteLine("| items | report.html | JSON of the items | render | render / JSON | open to first page | whole file loaded | filter (after load) |");
            output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (int s = 0; s < sizes.Length; s++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {sizes[s]:N0} | {bytes[s] / 1e6:F1} MB | {Median(json[s]):F0} ms | {Median(render[s]):F0} ms | {Median(render[s]) / Median(json[s]):F2}× | {Median(open[s]):F0} ms | {Median(loaded[s]):F0} ms | {Median(filter[s]):F0} ms |"));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"large / small: open to first page {Median(open[1]) / Median(open[0]):F2}×, whole file loaded {Median(loaded[1]) / Median(loaded[0]):F2}×, filter {Median(filter[1]) / Median(filter[0]):F2}× (goal ≤ 2×); render / JSON at {sizes[1]:N0}: {Median(render[1]) / Median(json[1]):F2}× (goal ≤ 2×)"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The real MedQA questions with their options, or null without ../shared/data. The report compresses its item
    /// text, so one repeated question (SampleRuns.Large) would flatter it; real text compresses as real runs do.
    /// </summary>
    private static string[]? MedQaTexts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "..", "shared", "data", "medqa", "test.jsonl");
            if (File.Exists(Path.Combine(dir.FullName, "ValidationLab.sln")))
            {
                return File.Exists(path) ? File.ReadLines(path).Select(Question).ToArray() : null;
            }
        }

        return null;

        static string Question(string line)
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            return root.GetProperty("question").GetString() + string.Concat(root.GetProperty("options").EnumerateObject().Select(o => "\n" + o.Name + ") " + o.Value.GetString()));
        }
    }

    private static (RunResult, IReadOnlyList<ItemResult>) WithRealText((RunResult Run, IReadOnlyList<ItemResult> Items) sample, string[]? questions)
    {
        if (questions is null)
        {
            return sample;
        }

        int n = questions.Length;
        var items = sample.Items.Select((item, i) => item with
        {
            Input = questions[i % n],
            Response = item.Response is null ? null : "Reasoning: " + questions[(i * 7 + 3) % n][..Math.Min(400, questions[(i * 7 + 3) % n].Length)] + "\nThe answer is (C).",
        }).ToList();
        return (sample.Run, items);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
