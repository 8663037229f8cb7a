using ValidationLab.Reports.Pdf;

namespace ValidationLab.Reports.Browser.Tests;

/// <summary>
/// A test that needs Chromium. Outside CI, without a browser, it is skipped with the reason shown; under CI (env
/// var CI set) it runs and fails, because CI installs chromium (apt) and must never pass by skipping.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (PdfPrinter.FindBrowser() is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "No Chromium found (looked at VALIDATIONLAB_CHROMIUM, " + string.Join(", ", PdfPrinter.KnownBrowsers)
                + "): install it with apt-get install chromium to run the browser tests.";
        }
    }
}
