using System.Text.Json;
using Microsoft.Playwright;
using ValidationLab.Cli;
using ValidationLab.Reports.Pdf;

namespace ValidationLab.Reports.Browser.Tests;

/// <summary>
/// A real run of fixtures/configs/medqa-slices.yaml through the CLI, made once: its report carries bias slices
/// (sex read from the vignettes, exam step), and so a slice table and a forest plot per family.
/// </summary>
public sealed class SlicedRun : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vl-sliced-" + Guid.NewGuid().ToString("N"));

    public SlicedRun()
    {
        Directory.CreateDirectory(_root);
        Run = Path.Combine(_root, "run");
        string config = Path.Combine(TestRepository.Root, "fixtures", "configs", "medqa-slices.yaml");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = CliApplication.RunAsync(["run", "--config", config, "--out", Run], stdout, stderr, CancellationToken.None).GetAwaiter().GetResult();
        if (code != 0)
        {
            throw new InvalidOperationException($"validationlab run --config {config} exited {code}\n{stdout}\n{stderr}");
        }

        Report = Path.Combine(Run, "report.html");
    }

    public string Run { get; }

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

public sealed class SlicedReportInBrowserTests(SlicedRun run) : IClassFixture<SlicedRun>
{
    [BrowserFact]
    public async Task Slice_tables_and_forest_plots_are_visible_and_axe_finds_no_serious_or_critical_violation()
    {
        using JsonDocument results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run.Run, "results.json")));
        JsonElement families = results.RootElement.GetProperty("slices").GetProperty("suites").GetProperty("medqa").GetProperty("families");
        int suppressed = families.EnumerateObject().Sum(f => f.Value.GetProperty("groups").EnumerateObject().Count(g => g.Value.GetProperty("suppressed").GetBoolean()));

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
        await page.GotoAsync(new Uri(run.Report).AbsoluteUri);

        ILocator tables = page.Locator("table.slices");
        Assert.True(await tables.CountAsync() >= families.GetArrayLengthOrCount(), "one slice table per family and metric");
        Assert.True(await tables.First.IsVisibleAsync());
        ILocator plots = page.Locator("svg.forest");
        Assert.True(await plots.CountAsync() >= 1);
        Assert.True(await plots.First.IsVisibleAsync());
        Assert.True(await page.Locator("svg.forest circle.point").CountAsync() >= 1);
        // A suppressed group appears once in each of its family's tables (one per metric), and shows no number but min_cell.
        int minCell = results.RootElement.GetProperty("slices").GetProperty("min_cell").GetInt32();
        IReadOnlyList<string> suppressedRows = await page.Locator("table.slices tr.suppressed td").AllInnerTextsAsync();
        Assert.True(suppressed == 0 ? suppressedRows.Count == 0 : suppressedRows.Count >= suppressed, "suppressed rows: " + suppressedRows.Count + ", groups: " + suppressed);
        Assert.All(suppressedRows, t => Assert.DoesNotMatch("[0-9]", t.Replace("< " + minCell, "", StringComparison.Ordinal).Replace("fewer than " + minCell, "", StringComparison.Ordinal)));
        string gate = await page.Locator("section h4:text('Gate inputs') + ul").First.InnerTextAsync();
        Assert.Contains("largest gap to the reference", gate, StringComparison.Ordinal);

        await BrowserTesting.AssertNoSeriousAxeViolationAsync(page);
        Assert.Empty(errors);
    }
}

public sealed class SliceFilterInBrowserTests(SlicedRun run) : IClassFixture<SlicedRun>
{
    [BrowserFact]
    public async Task The_slice_filter_shows_exactly_the_items_of_a_slice_group()
    {
        // Given: every kept sex group of the run's results.json, with its n
        using JsonDocument results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(run.Run, "results.json")));
        JsonElement groups = results.RootElement.GetProperty("slices").GetProperty("suites").GetProperty("medqa").GetProperty("families").GetProperty("sex").GetProperty("groups");
        var kept = groups.EnumerateObject().Where(g => !g.Value.GetProperty("suppressed").GetBoolean()).Select(g => (g.Name, N: g.Value.GetProperty("n").GetInt32())).ToList();
        Assert.NotEmpty(kept);

        string executable = BrowserTesting.Executable();
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(PdfPrinter.LaunchOptions(executable));
        IPage page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(run.Report).AbsoluteUri);
        await ReportInBrowserTests.Drawn(page);
        int total = File.ReadLines(Path.Combine(run.Run, "items.jsonl")).Count();

        foreach ((string name, int n) in kept)
        {
            // When: the group is chosen in the slice filter
            string value = await page.EvaluateAsync<string>(
                "l => [...document.querySelectorAll('#f-slice option')].find(o => o.textContent.startsWith(l)).value", "sex = " + name + " (");
            await page.SelectOptionAsync("#f-slice", value);
            await ReportInBrowserTests.Drawn(page);

            // Then: n of all items match, and every row drawn is of that group
            Assert.StartsWith(n + " of " + total + " items match", await page.InnerTextAsync("#p-status"), StringComparison.Ordinal);
            IReadOnlyList<string> strata = await page.Locator("details.it dd").Filter(new LocatorFilterOptions { HasTextRegex = new System.Text.RegularExpressions.Regex("^(.* · )?sex = ") }).AllTextContentsAsync();
            Assert.Equal(Math.Min(n, 25), strata.Count);
            Assert.All(strata, t => Assert.Contains("sex = " + name, t, StringComparison.Ordinal));
        }

        await page.SelectOptionAsync("#f-slice", "");
        await ReportInBrowserTests.Drawn(page);
        Assert.StartsWith(total + " of " + total, await page.InnerTextAsync("#p-status"), StringComparison.Ordinal);
        Assert.Empty(errors);
    }
}

internal static class JsonCount
{
    public static int GetArrayLengthOrCount(this JsonElement element) => element.EnumerateObject().Count();
}
