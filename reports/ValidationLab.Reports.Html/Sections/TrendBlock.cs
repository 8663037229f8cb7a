using System.Globalization;
using ValidationLab.Exporters;
using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Reports.Html.Svg;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// "Trend over earlier runs of the same model": the suite's headline metric in every earlier run the run registry
/// holds (<see cref="ReportEvidence.History"/>), then this run, as a line chart with interval whiskers and the same
/// numbers in a table. Nothing is written when there is no earlier run, so a report made without a registry is
/// unchanged.
/// </summary>
internal static class TrendBlock
{
    public static void Write(HtmlWriter html, SuiteView suite, RunResult run, IReadOnlyList<ReportHistoryPoint> history)
    {
        if (suite.HeadlineMetric is not { } metric || suite.Result is not { } result)
        {
            return;
        }

        var earlier = history
            .Where(h => h.Suite == suite.Name && h.Metric == metric && h.RunId != run.Manifest.RunId)
            .OrderBy(h => h.FinishedUtc).ThenBy(h => h.RunId, StringComparer.Ordinal)
            .ToList();
        if (earlier.Count == 0)
        {
            return;
        }

        MetricValue current = result.Metrics[metric];
        var rows = earlier
            .Select(h => (h.RunId, h.FinishedUtc, Value: new MetricValue(h.Value, h.CiLow, h.CiHigh, h.N, h.Method), Current: false))
            .Append((run.Manifest.RunId, run.Manifest.FinishedUtc, Value: current, Current: true))
            .ToList();

        string label = MetricText.Label(metric);
        string title = label + " over earlier runs of " + run.Manifest.Runner + " on " + suite.Name;
        bool proportion = MetricText.IsProportion(metric);
        var chart = new SvgTrendChart
        {
            Title = title,
            XLabel = "Run, by time finished (UTC); the last is this run",
            YLabel = label + (proportion ? " (%)" : ""),
            YMax = proportion ? 1 : null,
            Tick = v => proportion ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture),
            Points = [.. rows.Select(r => new TrendPoint(
                r.FinishedUtc.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture),
                MetricText.HasValue(r.Value) ? r.Value.Value : null,
                r.Value.CiLow,
                r.Value.CiHigh,
                (r.Current ? "this run " : "run ") + r.RunId + ": " + MetricText.Full(metric, r.Value),
                r.Current))],
        };

        html.Element("h3", "Trend over earlier runs").Line();
        html.Open("div", ("class", "charts trend")).Open("figure").Trusted(chart.Render())
            .Element("figcaption", title + ": " + MetricText.Count(earlier.Count) + (earlier.Count == 1 ? " earlier run" : " earlier runs")
                + " from the run registry, then this run (red); whiskers are each run's interval.")
            .Close("figure");
        html.Open("details").Element("summary", "The " + MetricText.Count(rows.Count) + " runs as a table");
        html.Open("table", ("class", "trend-table")).Open("thead").Open("tr").Element("th", "Run").Element("th", "Finished (UTC)")
            .Element("th", label).Element("th", "Interval and n").Close("tr").Close("thead").Open("tbody").Line();
        foreach (var r in rows)
        {
            html.Open("tr").Element("td", r.Current ? r.RunId + " (this run)" : r.RunId).Element("td", MetricText.Utc(r.FinishedUtc))
                .Element("td", MetricText.Value(metric, r.Value), "num").Element("td", MetricText.Uncertainty(metric, r.Value), "ci").Close("tr").Line();
        }

        html.Close("tbody").Close("table").Close("details").Close("div").Line();
    }
}
