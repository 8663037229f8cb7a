using Microsoft.Playwright;

namespace ValidationLab.Reports.Pdf;

/// <summary>
/// Prints report.html to PDF with Chromium (print CSS applies: filters and the item browser are left out, the
/// decision comes first). Network requests other than the report file itself are refused, so the packet shows
/// exactly what the file holds.
/// </summary>
public static class PdfPrinter
{
    /// <summary>Where Chromium is looked for when <c>VALIDATIONLAB_CHROMIUM</c> is not set.</summary>
    public static readonly string[] KnownBrowsers = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>The Chromium executable to use, or null when none is installed.</summary>
    public static string? FindBrowser()
    {
        string? configured = Environment.GetEnvironmentVariable("VALIDATIONLAB_CHROMIUM");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        return KnownBrowsers.FirstOrDefault(File.Exists);
    }

    /// <summary>Options that launch the system Chromium headless without any background network traffic.</summary>
    public static BrowserTypeLaunchOptions LaunchOptions(string executable) => new()
    {
        ExecutablePath = executable,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    };

    public static async Task PrintAsync(string htmlPath, string pdfPath, string browserExecutable, CancellationToken cancellationToken)
    {
        using IPlaywright playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(LaunchOptions(browserExecutable)).ConfigureAwait(false);
        IPage page = await browser.NewPageAsync().ConfigureAwait(false);
        string self = new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri;
        await page.RouteAsync("**/*", route => route.Request.Url == self ? route.ContinueAsync() : route.AbortAsync()).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        await page.GotoAsync(self).ConfigureAwait(false);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print }).ConfigureAwait(false);
        string temp = pdfPath + ".tmp";
        await page.PdfAsync(new PagePdfOptions { Path = temp, Format = "A4", PrintBackground = true, Margin = new Margin { Top = "15mm", Bottom = "15mm", Left = "12mm", Right = "12mm" } }).ConfigureAwait(false);
        File.Move(temp, pdfPath, overwrite: true);
    }
}
