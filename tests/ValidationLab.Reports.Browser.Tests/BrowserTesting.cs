using System.Text.Json;
using Microsoft.Playwright;
using ValidationLab.Reports.Pdf;

namespace ValidationLab.Reports.Browser.Tests;

/// <summary>What every browser test shares: the Chromium to launch, and the axe-core scan of a page.</summary>
internal static class BrowserTesting
{
    /// <summary>Debian's Chromium; under CI a missing browser is a failure (BrowserFact skips only outside CI).</summary>
    public static string Executable() =>
        PdfPrinter.FindBrowser() ?? throw new InvalidOperationException("CI is set but no Chromium was found: .ci/run must apt-get install chromium");

    /// <summary>
    /// Injects axe-core (pinned in axe/package-lock.json; the page must be opened with the CSP bypassed, which rightly
    /// refuses an injected script) and asserts it finds no serious or critical violation.
    /// </summary>
    public static async Task AssertNoSeriousAxeViolationAsync(IPage page)
    {
        string axe = Path.Combine(TestRepository.Root, "tests", "ValidationLab.Reports.Browser.Tests", "axe", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(axe), "axe-core is not installed: run npm ci --prefix tests/ValidationLab.Reports.Browser.Tests/axe");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = await File.ReadAllTextAsync(axe) });
        string json = await page.EvaluateAsync<string>(
            "async () => JSON.stringify((await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))");
        using JsonDocument violations = JsonDocument.Parse(json);
        var serious = violations.RootElement.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => v.GetRawText()).ToList();
        Assert.True(serious.Count == 0, "axe: " + string.Join("\n", serious));
    }
}
