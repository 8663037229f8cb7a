using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Reports.Html.Svg;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// Results by stratum (e.g. by exam step or specialty): a chart of the headline metric with its intervals, so
/// reviewers see at a glance which subgroups are uncertain, and a table with every metric in full.
/// </summary>
internal static class BreakdownBlock
{
    public static void Write(HtmlWriter html, string anchor, SuiteResult result, string? headline)
    {
        int index = 0;
        foreach ((string field, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>> byValue)
                 in result.Breakdowns.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            index++;
            string[] values = [.. byValue.Keys.Order(StringComparer.Ordinal)];
            string[] metrics = [.. byValue.Values.SelectMany(m => m.Keys).Distinct().Order(StringComparer.Ordinal)];
            string? charted = headline is not null && metrics.Contains(headline) ? headline : metrics.FirstOrDefault();

            html.Open("h3", ("id", anchor + "-by-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Text("Results by " + MetricText.Label(field)).Close("h3").Line();
            if (values.Length == 0 || charted is null)
            {
                html.Element("p", "No values were recorded for this breakdown.", "muted").Line();
                continue;
            }

            html.Open("div", ("class", "charts"));
            WriteChart(html, field, charted, values, byValue);
            WriteTable(html, values, metrics, byValue);
            html.Close("div").Line();
        }
    }

    private static void WriteChart(HtmlWriter html, string field, string metric, string[] values,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>> byValue)
    {
        var points = values.Select(v => byValue[v].GetValueOrDefault(metric)).ToArray();
        bool proportion = MetricText.IsProportion(metric);
        string method = points.FirstOrDefault(p => p is not null && p.CiLow is not null)?.Method ?? "95% CI";
        var chart = new SvgBarChart
        {
            Title = MetricText.Label(metric) + " by " + MetricText.Label(field),
            Description = MetricText.Label(metric) + " for each value of " + MetricText.Label(field)
                + ", with whiskers showing the " + method + ". Exact figures and n are in the table beside the chart.",
            Categories = values,
            Series = [new BarSeries(MetricText.Label(metric), [.. points.Select(p => p is not null && MetricText.HasValue(p) ? p.Value!.Value : double.NaN)])
            {
                Lows = [.. points.Select(p => p is not null && MetricText.HasValue(p) ? p.CiLow : null)],
                Highs = [.. points.Select(p => p is not null && MetricText.HasValue(p) ? p.CiHigh : null)],
            }],
            YMax = proportion ? 1 : null,
            WholeNumbers = false,
            FormatValue = v => proportion
                ? (v * 100).ToString("F0", System.Globalization.CultureInfo.InvariantCulture) + "%"
                : MetricText.Number(metric, v, withUnit: true),
            WhiskerLegend = "whiskers: " + method,
        };
        html.Open("figure").Trusted(chart.Render())
            .Element("figcaption", "Bars show " + MetricText.Label(metric).ToLowerInvariant() + "; whiskers show the " + method
                + ". Where whiskers overlap, the groups may not really differ.")
            .Close("figure");
    }

    private static void WriteTable(HtmlWriter html, string[] values, string[] metrics,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>> byValue)
    {
        html.Open("table").Open("thead").Open("tr").Element("th", "Value");
        foreach (string metric in metrics)
        {
            html.Element("th", MetricText.Label(metric));
        }

        html.Close("tr").Close("thead").Open("tbody").Line();
        foreach (string value in values)
        {
            html.Open("tr").Element("td", value);
            foreach (string metric in metrics)
            {
                html.Open("td", ("class", "metric"));
                if (byValue[value].TryGetValue(metric, out MetricValue? metricValue))
                {
                    MetricCells.Value(html, metric, metricValue);
                }
                else
                {
                    html.Text("not computed");
                }

                html.Close("td");
            }

            html.Close("tr").Line();
        }

        html.Close("tbody").Close("table");
    }
}
