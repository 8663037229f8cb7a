using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// Everything about one suite: headline, how items ended, all metrics, notes, answer positions, breakdowns and the
/// item browser. One instance per suite so the page order follows the suite order.
/// </summary>
internal sealed class SuiteSection(SuiteView suite) : IReportSection
{
    public void Write(HtmlWriter html, ReportModel model, CancellationToken cancellationToken)
    {
        html.Open("section", ("id", suite.Anchor)).Element("h2", "Suite: " + suite.Name).Line();
        SuiteResult? result = suite.Result;
        if (result is null)
        {
            html.Element("p", "No results were recorded for this suite; its items are listed below so they can still be reviewed.", "muted");
        }
        else
        {
            html.Open("p", ("class", "muted")).Text("Mode: ").Text(result.Mode).Close("p");
            html.Open("p", ("class", "headline"));
            MetricCells.Headline(html, suite);
            html.Close("p").Line();
            WriteCounts(html, result.Counts);
            WriteMetrics(html, result);
            WriteNotes(html, result.Notes);
            if (result.Counts.Items > 0)
            {
                DistributionBlock.Write(html, suite.Anchor, result);
                BreakdownBlock.Write(html, suite.Anchor, result, suite.HeadlineMetric);
                CurvesBlock.Write(html, suite);
                LeadTimeBlock.Write(html, suite);
                TrendBlock.Write(html, suite, model.Run, model.Evidence.History);
                SlicesBlock.Write(html, suite, model.Run.Slices);
            }
        }

        ItemsBlock.WriteSuiteLink(html, suite, model.Suites.ToList().IndexOf(suite));
        html.Close("section").Line();
    }

    private static void WriteCounts(HtmlWriter html, SuiteCounts counts)
    {
        html.Element("h3", "How the items ended").Line();
        if (counts.Items == 0)
        {
            html.Element("p", "This suite had no items, so there is nothing to measure.").Line();
            return;
        }

        html.Open("table").Open("tbody");
        CountRow(html, "Items", counts.Items, "all items in the suite");
        CountRow(html, "Scored", counts.Scored, "an answer was extracted and compared with the reference answer");
        CountRow(html, "Unparseable", counts.Unparseable, "the model answered but no answer could be extracted; counted as incorrect");
        CountRow(html, "Errored", counts.Errored, "the model gave no answer (for example the request failed); excluded from accuracy and its n");
        html.Close("tbody").Close("table").Line();

        html.Element("p", counts.Errored == 0
            ? "No items errored."
            : counts.Errored == 1
                ? "1 errored item is left out of accuracy and its n; it is listed under Items with the reason."
                : MetricText.Count(counts.Errored) + " errored items are left out of accuracy and its n; they are listed under Items with the reason.")
            .Line();
    }

    private static void CountRow(HtmlWriter html, string label, int count, string meaning)
    {
        html.Open("tr").Element("th", label).Element("td", MetricText.Count(count), "num").Element("td", meaning, "muted").Close("tr").Line();
    }

    private static void WriteMetrics(HtmlWriter html, SuiteResult result)
    {
        html.Element("h3", "Metrics").Line();
        if (result.Metrics.Count == 0)
        {
            html.Element("p", "No metrics were recorded for this suite.", "muted").Line();
            return;
        }

        html.Open("table").Open("thead").Open("tr").Element("th", "Metric").Element("th", "Value").Element("th", "Interval and n")
            .Close("tr").Close("thead").Open("tbody").Line();
        foreach ((string name, MetricValue metric) in result.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            html.Open("tr").Element("td", MetricText.Label(name)).Open("td").Element("b", MetricText.Value(name, metric)).Close("td")
                .Element("td", MetricText.Uncertainty(name, metric), "ci").Close("tr").Line();
        }

        html.Close("tbody").Close("table").Line();
    }

    private static void WriteNotes(HtmlWriter html, IReadOnlyList<string> notes)
    {
        if (notes.Count == 0)
        {
            return;
        }

        html.Element("h3", "Notes").Open("ul").Line();
        foreach (string note in notes)
        {
            html.Element("li", note, "pre").Line();
        }

        html.Close("ul").Line();
    }
}
