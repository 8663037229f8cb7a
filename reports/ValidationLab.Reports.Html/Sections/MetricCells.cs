using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>The one way a metric is written into the page: value in bold, then its interval, method and n.</summary>
internal static class MetricCells
{
    public static void Value(HtmlWriter html, string name, MetricValue metric)
    {
        html.Element("b", MetricText.Value(name, metric)).Text(" ").Element("span", MetricText.Uncertainty(name, metric), "ci");
    }

    /// <summary>"Accuracy 87.8% (Wilson 95% CI …, n = …)", or a plain statement when there is nothing to quote.</summary>
    public static void Headline(HtmlWriter html, SuiteView suite)
    {
        string? name = suite.HeadlineMetric;
        if (suite.Result is null || suite.Result.Counts.Items == 0)
        {
            html.Text(MetricText.NoItems);
            return;
        }

        if (name is null)
        {
            html.Text("no metrics recorded");
            return;
        }

        html.Text(MetricText.Label(name) + " ");
        Value(html, name, suite.Result.Metrics[name]);
    }
}
