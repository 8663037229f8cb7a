using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using ValidationLab.Reports.Pdf;

namespace ValidationLab.Reports.Browser.Tests;

/// <summary>The report of a real run with hostile item text, opened in Chromium as a reviewer would open it.</summary>
public sealed class ReportInBrowserTests(HostileRun run) : IClassFixture<HostileRun>
{
    /// <summary>A page on the report, with every console message, request and dialog recorded.</summary>
    private sealed class Session : IAsyncDisposable
    {
        public List<string> ConsoleErrors { get; } = [];
        public List<string> Requests { get; } = [];
        public List<string> Dialogs { get; } = [];
        public required IPlaywright Playwright { get; init; }
        public required IBrowser Browser { get; init; }
        public IPage Page { get; set; } = null!;

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            Playwright.Dispose();
        }
    }

    private async Task<Session> OpenAsync(bool bypassCsp = false)
    {
        string executable = BrowserTesting.Executable();
        IPlaywright playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(PdfPrinter.LaunchOptions(executable));
        var session = new Session { Playwright = playwright, Browser = browser };
        IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions { BypassCSP = bypassCsp });
        IPage page = await context.NewPageAsync();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                session.ConsoleErrors.Add(m.Type + ": " + m.Text);
            }
        };
        page.PageError += (_, e) => session.ConsoleErrors.Add("page error: " + e);
        page.Request += (_, r) => session.Requests.Add(r.Url);
        page.Dialog += async (_, d) =>
        {
            session.Dialogs.Add(d.Message);
            await d.DismissAsync();
        };
        await page.GotoAsync(new Uri(run.Report).AbsoluteUri);
        session.Page = page;
        await Drawn(page);
        return session;
    }

    /// <summary>
    /// The item browser inflates the items a page shows asynchronously: it marks #item-rows aria-busy from the
    /// change (set synchronously by the event Playwright dispatched) until the page is drawn. Wait for that, not for time.
    /// </summary>
    internal static async Task Drawn(IPage page) => await page.WaitForFunctionAsync(
        "() => document.getElementById('p-status').textContent !== '' && !document.getElementById('item-rows').hasAttribute('aria-busy')");

    private static string Self(string path) => new Uri(path).AbsoluteUri;

    [BrowserFact]
    public async Task Loads_with_no_console_error_no_request_but_itself_and_hostile_text_executes_nothing()
    {
        await using Session s = await OpenAsync();
        IPage page = s.Page;

        // Open every item of the first page and go through every page, so all hostile text is drawn at least once.
        int pages = 0;
        do
        {
            pages++;
            await page.EvaluateAsync("() => document.querySelectorAll('details.it').forEach(d => d.open = true)");
            if (await page.IsDisabledAsync("#p-next"))
            {
                break;
            }

            await page.ClickAsync("#p-next");
            await Drawn(page);
        }
        while (pages < 100);

        Assert.True(pages >= 2, "the hostile run has more items than one page, so paging must have been exercised");
        Assert.Empty(s.ConsoleErrors);
        Assert.Equal([Self(run.Report)], s.Requests.Distinct());
        Assert.Empty(s.Dialogs);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
        Assert.Equal(0, await page.Locator("#hostile-link, iframe, img, base, meta[http-equiv=refresh]").CountAsync());
        // Exactly one script runs (the page's own), the three data blocks (index, first chunk, the rest) are not code, and no style sheet came from data.
        Assert.Equal(4, await page.Locator("script").CountAsync());
        Assert.Equal(1, await page.Locator("script:not([type])").CountAsync());
        Assert.Equal(1, await page.Locator("style").CountAsync());
    }

    [BrowserFact]
    public async Task Hostile_text_is_shown_as_text_and_bidi_overrides_are_made_visible()
    {
        await using Session s = await OpenAsync();
        IPage page = s.Page;
        await page.FillAsync("#f-text", "window.__pwned='img'");
        await Drawn(page);
        await page.EvaluateAsync("() => document.querySelectorAll('details.it').forEach(d => d.open = true)");
        string shown = await page.Locator("#item-rows").InnerTextAsync();
        Assert.Contains("<img src=x onerror=\"window.__pwned='img'\">", shown, StringComparison.Ordinal);

        await page.FillAsync("#f-text", "right-to-left override");

        await Drawn(page);
        await page.EvaluateAsync("() => document.querySelectorAll('details.it').forEach(d => d.open = true)");
        shown = await page.Locator("#item-rows").InnerTextAsync();
        Assert.Contains("[U+202E]evil[U+202C]", shown, StringComparison.Ordinal);
        Assert.Contains("[U+2028]", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", shown, StringComparison.Ordinal);

        // The hostile signer name and comment are text in the sign-off table.
        string signoffs = await page.Locator("#signoffs").InnerTextAsync();
        Assert.Contains("Dr <script>window.__pwned='signer'</script> [U+202E]eilrahC", signoffs, StringComparison.Ordinal);
        Assert.Contains("<b onclick=", signoffs, StringComparison.Ordinal);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
        Assert.Empty(s.ConsoleErrors);
    }

    [BrowserFact]
    public async Task Filters_paging_and_links_work()
    {
        await using Session s = await OpenAsync();
        IPage page = s.Page;
        string status = await page.InnerTextAsync("#p-status");
        Assert.StartsWith(run.ItemCount + " of " + run.ItemCount + " items match", status, StringComparison.Ordinal);
        Assert.Equal(25, await page.Locator("details.it").CountAsync());

        await page.ClickAsync("#p-next");
        await Drawn(page);
        Assert.Equal(run.ItemCount - 25, await page.Locator("details.it").CountAsync());
        Assert.True(await page.IsDisabledAsync("#p-next"));
        await page.ClickAsync("#p-prev");
        await Drawn(page);
        Assert.True(await page.IsDisabledAsync("#p-prev"));

        // Outcome filter: every drawn row carries the chosen badge, and the count matches items.jsonl.
        int correct = File.ReadLines(Path.Combine(run.Candidate, "items.jsonl")).Count(l => JsonDocument.Parse(l).RootElement.GetProperty("correct").ValueKind == JsonValueKind.True);
        await page.SelectOptionAsync("#f-status", "c");
        await Drawn(page);
        Assert.StartsWith(correct + " of " + run.ItemCount, await page.InnerTextAsync("#p-status"), StringComparison.Ordinal);
        Assert.Equal(Math.Min(correct, 25), await page.Locator("details.it .b-c").CountAsync());
        Assert.Equal(0, await page.Locator("details.it .b-i").CountAsync());

        // Flipped against production (comparison.json's regressions and improvements).
        using JsonDocument comparison = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Candidate, "comparison.json")));
        JsonElement medqa = comparison.RootElement.GetProperty("suites").GetProperty("medqa");
        int flipped = medqa.GetProperty("regressions").GetArrayLength() + medqa.GetProperty("improvements").GetArrayLength();
        await page.SelectOptionAsync("#f-status", "");
        await Drawn(page);
        await page.SelectOptionAsync("#f-flip", "1");
        await Drawn(page);
        Assert.StartsWith(flipped + " of " + run.ItemCount, await page.InnerTextAsync("#p-status"), StringComparison.Ordinal);
        Assert.True(flipped > 0, "the hostile candidate answers differently from production, so some items flipped");

        // Text search narrows to one payload; no match shows none.
        await page.SelectOptionAsync("#f-flip", "");
        await Drawn(page);
        await page.FillAsync("#f-text", "no item says this 9f8e7d");
        await Drawn(page);
        Assert.StartsWith("0 of " + run.ItemCount, await page.InnerTextAsync("#p-status"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("details.it").CountAsync());
        await page.FillAsync("#f-text", "");
        await Drawn(page);

        // Every in-page link has a target, and the suite link opens the browser on that suite.
        IReadOnlyList<string> missing = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href')).filter(h => !document.getElementById(h.slice(1)))");
        Assert.Empty(missing);
        Assert.Equal(0, await page.Locator("a:not([href^='#'])").CountAsync());
        await page.SelectOptionAsync("#f-suite", "");
        await Drawn(page);
        await page.ClickAsync("a.suite-items");
        await Drawn(page);
        Assert.Equal("0", await page.InputValueAsync("#f-suite"));
        Assert.EndsWith("#items", page.Url, StringComparison.Ordinal);
        Assert.Empty(s.ConsoleErrors);
    }

    [BrowserFact]
    public async Task Opens_with_the_decision_and_signatures_cover_the_re_rendered_report()
    {
        await using Session s = await OpenAsync();
        IPage page = s.Page;
        string first = await page.Locator("h2").First.InnerTextAsync();
        Assert.Equal("Decision", first);
        string verdict = await page.InnerTextAsync("#verdict");
        Assert.Contains("NOT PROMOTABLE", verdict, StringComparison.Ordinal);
        // Signed before the last re-render, which added the signature: the fingerprint did not move.
        string row = await page.Locator("#signoffs tbody tr").First.InnerTextAsync();
        Assert.Contains("clinical_reviewer", row, StringComparison.Ordinal);
        Assert.Contains("approve", row, StringComparison.Ordinal);
        Assert.Contains("yes", row.Split('\t').Last(), StringComparison.Ordinal);
        Assert.Equal(ValidationLab.Governance.Evidence.ReportSha256(run.Candidate),
            (await page.InnerTextAsync("#decision p.mono")).Split(": ").Last().Trim());
    }

    [BrowserFact]
    public async Task Every_chart_has_a_title_and_a_table_alternative()
    {
        await using Session s = await OpenAsync();
        IPage page = s.Page;
        IReadOnlyList<string> problems = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('svg')].flatMap((svg, i) => {
              const out = [];
              if (svg.getAttribute('role') !== 'img') out.push(i + ': no role=img');
              const title = svg.querySelector(':scope > title');
              if (!title || !title.textContent.trim()) out.push(i + ': no title');
              const fig = svg.closest('.charts') || svg.closest('figure');
              if (!fig || !fig.querySelector('table')) out.push(i + ': no table alternative beside it');
              return out;
            })
            """);
        Assert.Empty(problems);
    }

    [BrowserFact]
    public async Task Axe_finds_no_serious_or_critical_violation()
    {
        // The page's CSP (rightly) refuses an injected script, so this one session bypasses it to load axe.
        await using Session s = await OpenAsync(bypassCsp: true);
        IPage page = s.Page;
        await page.EvaluateAsync("() => document.querySelectorAll('details.it').forEach(d => d.open = true)");
        await BrowserTesting.AssertNoSeriousAxeViolationAsync(page);
    }

    [BrowserFact]
    public void The_pdf_is_produced_and_its_first_page_carries_the_verdict()
    {
        string pdf = Path.Combine(run.Candidate, "report.pdf");
        Assert.True(File.Exists(pdf), "report --pdf wrote no report.pdf");
        byte[] bytes = File.ReadAllBytes(pdf);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));
        string? pdftotext = new[] { "/usr/bin/pdftotext", "/usr/local/bin/pdftotext" }.FirstOrDefault(File.Exists);
        Assert.True(pdftotext is not null || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")),
            "CI must apt-get install poppler-utils (pdftotext) to read the PDF's first page");
        if (pdftotext is null)
        {
            return;
        }

        var start = new System.Diagnostics.ProcessStartInfo(pdftotext) { RedirectStandardOutput = true };
        foreach (string a in new[] { "-f", "1", "-l", "1", "-layout", pdf, "-" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        string firstPage = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Contains("Gate verdict: NOT PROMOTABLE", firstPage, StringComparison.Ordinal);
    }
}
