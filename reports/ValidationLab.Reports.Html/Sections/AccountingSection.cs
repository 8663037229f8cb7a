using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>What the run cost and how long it took; these are measured totals, so they carry no interval.</summary>
internal sealed class AccountingSection : IReportSection
{
    public void Write(HtmlWriter html, ReportModel model, CancellationToken cancellationToken)
    {
        RunAccounting a = model.Run.Accounting;
        html.Open("section", ("id", "accounting")).Element("h2", "Requests, time and cost").Line();
        html.Element("p", "Measured totals for the whole run (not estimates), so they have no confidence interval.", "muted small");
        html.Open("table").Open("tbody").Line();
        Row(html, "Requests sent", MetricText.Count(a.Requests));
        Row(html, "Answered from cache", MetricText.Count(a.CacheHits));
        Row(html, "Retries", MetricText.Count(a.Retries));
        Row(html, "Requests that failed", MetricText.Count(a.ErroredRequests));
        Row(html, "Prompt tokens", MetricText.Count(a.PromptTokens));
        Row(html, "Completion tokens", MetricText.Count(a.CompletionTokens));
        Row(html, "Cost", a.Cost is { } cost ? cost.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "not recorded");
        Row(html, "Latency, median (p50)", MetricText.Milliseconds(a.LatencyP50Ms));
        Row(html, "Latency, 95th percentile", MetricText.Milliseconds(a.LatencyP95Ms));
        Row(html, "Latency, 99th percentile", MetricText.Milliseconds(a.LatencyP99Ms));
        Row(html, "Throughput", MetricText.Decimal(a.ItemsPerSecond, 2) + " items per second");
        Row(html, "Wall-clock time", MetricText.Duration(TimeSpan.FromSeconds(double.IsFinite(a.WallSeconds) ? a.WallSeconds : -1)));
        html.Close("tbody").Close("table").Close("section").Line();
    }

    private static void Row(HtmlWriter html, string label, string value)
    {
        html.Open("tr").Element("th", label).Element("td", value, "num").Close("tr").Line();
    }
}
