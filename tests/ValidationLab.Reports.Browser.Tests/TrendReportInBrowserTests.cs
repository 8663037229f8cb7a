using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using ValidationLab.Cli;
using ValidationLab.Reports.Pdf;

namespace ValidationLab.Reports.Browser.Tests;

/// <summary>
/// Three real runs of one model recorded in a fresh run registry through the CLI, made once: the first two on the
/// first 10 and 25 MedQA fixture questions, the third on all of them, so that each has its own accuracy. The third
/// run's report draws the trend over the first two (issue 10: "metric trend over earlier runs of the same model").
/// </summary>
public sealed class RegistryOfThreeRuns : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vl-trend-" + Guid.NewGuid().ToString("N"));

    public RegistryOfThreeRuns()
    {
        Directory.CreateDirectory(_root);
        string store = Path.Combine(_root, "store.db");
        string data = Path.Combine(TestRepository.Root, "fixtures", "medqa", "medqa-fixture.jsonl");
        Runs = [Run("one", ["--limit", "10"]), Run("two", ["--limit", "25"]), Run("three", [])];
        Report = Path.Combine(Runs[^1], "report.html");

        string Run(string name, string[] extra)
        {
            string folder = Path.Combine(_root, name);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            string[] args = ["run", "--suite", "medqa", "--data", data, "--runner", "baseline", "--runner-option", "model=lexical-overlap", "--out", folder, "--store", store, .. extra];
            int code = CliApplication.RunAsync(args, stdout, stderr, CancellationToken.None).GetAwaiter().GetResult();
            if (code != 0)
            {
                throw new InvalidOperationException($"validationlab {string.Join(' ', args)} exited {code}\n{stdout}\n{stderr}");
            }

            return folder;
        }
    }

    /// <summary>The run folders, oldest first.</summary>
    public IReadOnlyList<string> Runs { get; }

    public string Report { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A browser may still hold a file; the temp folder is cleaned by the system.
        }
    }
}

public sealed class TrendReportInBrowserTests(RegistryOfThreeRuns registry) : IClassFixture<RegistryOfThreeRuns>
{
    [BrowserFact]
    public async Task The_trend_chart_and_its_table_show_the_three_runs_with_their_values_and_axe_finds_no_serious_violation()
    {
        var runs = registry.Runs.Select(Read).ToList();
        Assert.Equal(3, runs.Select(r => r.Accuracy).Distinct().Count());

        string executable = BrowserTesting.Executable();
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(PdfPrinter.LaunchOptions(executable));
        // CSP bypassed only to inject axe-core, as in ReportInBrowserTests.
        IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions { BypassCSP = true });
        IPage page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type is "error")
            {
                errors.Add(m.Text);
            }
        };
        await page.GotoAsync(new Uri(registry.Report).AbsoluteUri);

        // The chart: visible, titled, with both axis labels and one point per run (this run drawn larger).
        ILocator chart = page.Locator("svg.trend");
        Assert.Equal(1, await chart.CountAsync());
        Assert.True(await chart.IsVisibleAsync());
        Assert.Equal("Accuracy over earlier runs of baseline/lexical-overlap on medqa", await chart.Locator("title").First.TextContentAsync());
        string text = (await chart.TextContentAsync())!;
        Assert.Contains("Run, by time finished (UTC); the last is this run", text, StringComparison.Ordinal);
        Assert.Contains("Accuracy (%)", text, StringComparison.Ordinal);
        Assert.Equal(3, await chart.Locator("circle.point").CountAsync());
        Assert.Equal(3, await chart.Locator("path.whisker").CountAsync());
        Assert.Equal("6", await chart.Locator("circle.point").Nth(2).GetAttributeAsync("r"));

        // Points rise with accuracy: a higher value is drawn higher (smaller y).
        var ys = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            ys.Add(double.Parse((await chart.Locator("circle.point").Nth(i).GetAttributeAsync("cy"))!, CultureInfo.InvariantCulture));
        }

        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(runs[i].Accuracy > runs[j].Accuracy, ys[i] < ys[j]);
            }
        }

        // The table alternative: opened, one row per run, oldest first, with the value and n each run recorded.
        ILocator figure = page.Locator("div.trend");
        await figure.Locator("summary").ClickAsync();
        ILocator rows = figure.Locator("table.trend-table tbody tr");
        Assert.Equal(3, await rows.CountAsync());
        Assert.True(await rows.First.IsVisibleAsync());
        for (int i = 0; i < 3; i++)
        {
            IReadOnlyList<string> cells = await rows.Nth(i).Locator("td").AllInnerTextsAsync();
            Assert.Equal(i == 2 ? runs[i].RunId + " (this run)" : runs[i].RunId, cells[0]);
            Assert.Equal((runs[i].Accuracy * 100).ToString("F1", CultureInfo.InvariantCulture) + "%", cells[2]);
            Assert.Contains("n = " + runs[i].N.ToString(CultureInfo.InvariantCulture), cells[3], StringComparison.Ordinal);
        }

        await BrowserTesting.AssertNoSeriousAxeViolationAsync(page);
        Assert.Empty(errors);
    }

    private static (string RunId, double Accuracy, int N) Read(string folder)
    {
        using JsonDocument results = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
        JsonElement accuracy = results.RootElement.GetProperty("suites").GetProperty("medqa").GetProperty("metrics").GetProperty("accuracy");
        return (results.RootElement.GetProperty("manifest").GetProperty("run_id").GetString()!, accuracy.GetProperty("value").GetDouble(), accuracy.GetProperty("n").GetInt32());
    }
}
