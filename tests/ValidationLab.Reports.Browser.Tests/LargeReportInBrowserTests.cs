using Microsoft.Playwright;
using ValidationLab.Reports.Html;
using ValidationLab.Reports.Pdf;
using ValidationLab.Reports.Tests;
using ValidationLab.Results;

namespace ValidationLab.Reports.Browser.Tests;

/// <summary>
/// A report with more items than one compressed chunk (ItemPayload.ChunkSize = 200): the first chunk sits above the
/// page's script, the rest after it. Items from the later chunks must be found by the filters and the search and
/// drawn with their own text.
/// </summary>
public sealed class LargeReportInBrowserTests : IAsyncLifetime
{
    private const int Count = 530;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vl-large-report-" + Guid.NewGuid().ToString("N"));
    private IReadOnlyList<ItemResult> _items = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        (RunResult run, IReadOnlyList<ItemResult> items) = SampleRuns.Large(Count);
        // Each item's question names the item, so a drawn row can be checked against the item it claims to be.
        _items = [.. items.Select(i => i with { Input = "Question of " + i.ItemId + ": " + i.Input })];
        await using FileStream file = File.Create(Path.Combine(_dir, "report.html"));
        await new HtmlReportExporter().WriteAsync(run, _items, file, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [BrowserFact]
    public async Task Items_of_later_chunks_are_filtered_searched_and_drawn_with_their_own_text()
    {
        string executable = BrowserTesting.Executable();
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(PdfPrinter.LaunchOptions(executable));
        IPage page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                errors.Add(m.Text);
            }
        };
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(Path.Combine(_dir, "report.html")).AbsoluteUri);
        await ReportInBrowserTests.Drawn(page);
        Assert.StartsWith(Count + " of " + Count + " items match", await page.InnerTextAsync("#p-status"), StringComparison.Ordinal);

        // Errored items are every 50th: 11 of them, in all three chunks, on one page.
        await page.SelectOptionAsync("#f-status", "e");
        await ReportInBrowserTests.Drawn(page);
        string[] expected = [.. _items.Where(i => i.Status == ItemStatus.Errored).Select(i => i.ItemId)];
        Assert.Equal(expected, await page.Locator("details.it > summary > span:first-child").AllInnerTextsAsync());
        Assert.Equal(expected.Select(id => "Question of " + id + ":"),
            (await page.Locator("details.it dd.pre").Filter(new LocatorFilterOptions { HasTextString = "Question of" }).AllTextContentsAsync()).Select(t => t[..(t.IndexOf(':', StringComparison.Ordinal) + 1)]));

        // The search reads every chunk: an item of the last one is found, and only it.
        await page.SelectOptionAsync("#f-status", "");
        await ReportInBrowserTests.Drawn(page);
        await page.FillAsync("#f-text", "Question of medqa-00517:");
        await ReportInBrowserTests.Drawn(page);
        Assert.StartsWith("1 of " + Count, await page.InnerTextAsync("#p-status"), StringComparison.Ordinal);
        Assert.Equal(["medqa-00517"], await page.Locator("details.it > summary > span:first-child").AllInnerTextsAsync());
        Assert.Empty(errors);
    }
}
