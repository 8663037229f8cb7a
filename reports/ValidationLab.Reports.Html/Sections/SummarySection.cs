using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>One line per suite: how many items, how they ended and the headline figure with its interval.</summary>
internal sealed class SummarySection : IReportSection
{
    public void Write(HtmlWriter html, ReportModel model, CancellationToken cancellationToken)
    {
        html.Open("section", ("id", "summary")).Element("h2", "Summary").Line();
        if (model.Suites.Count == 0)
        {
            html.Element("p", "This run has no suites and no items.", "muted").Close("section").Line();
            return;
        }

        html.Open("table").Open("thead").Open("tr");
        html.Element("th", "Suite").Element("th", "Mode").Element("th", "Items", "num").Element("th", "Scored", "num")
            .Element("th", "Unparseable", "num").Element("th", "Errored", "num").Element("th", "Headline figure");
        html.Close("tr").Close("thead").Open("tbody").Line();
        foreach (SuiteView suite in model.Suites)
        {
            html.Open("tr").Open("td").Open("a", ("href", "#" + suite.Anchor)).Text(suite.Name).Close("a").Close("td");
            SuiteResult? result = suite.Result;
            if (result is null)
            {
                html.Open("td", ("colspan", "6")).Text("no results recorded; " + MetricText.Count(suite.Items.Count) + " items listed")
                    .Close("td").Close("tr").Line();
                continue;
            }

            html.Element("td", result.Mode)
                .Element("td", MetricText.Count(result.Counts.Items), "num")
                .Element("td", MetricText.Count(result.Counts.Scored), "num")
                .Element("td", MetricText.Count(result.Counts.Unparseable), "num")
                .Element("td", MetricText.Count(result.Counts.Errored), "num");
            html.Open("td", ("class", "metric"));
            MetricCells.Headline(html, suite);
            html.Close("td").Close("tr").Line();
        }

        html.Close("tbody").Close("table").Close("section").Line();
    }
}
