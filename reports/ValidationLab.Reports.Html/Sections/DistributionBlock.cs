using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Reports.Html.Svg;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// Category counts. The predicted_letter / gold_letter pair gets a grouped bar chart because position bias (a model
/// favouring "A", say) is one of the first things a reviewer of multiple-choice results looks for; every other
/// distribution is shown as a table.
/// </summary>
internal static class DistributionBlock
{
    public const string Predicted = "predicted_letter";
    public const string Gold = "gold_letter";

    public static void Write(HtmlWriter html, string anchor, SuiteResult result)
    {
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> distributions = result.Distributions;
        bool positions = distributions.TryGetValue(Predicted, out IReadOnlyDictionary<string, int>? predicted)
            & distributions.TryGetValue(Gold, out IReadOnlyDictionary<string, int>? gold);
        if (positions)
        {
            WritePositions(html, anchor, predicted!, gold!);
        }

        foreach ((string name, IReadOnlyDictionary<string, int> counts) in distributions.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (positions && name is Predicted or Gold)
            {
                continue;
            }

            html.Element("h3", "Distribution: " + MetricText.Label(name)).Line();
            html.Open("table").Open("thead").Open("tr").Element("th", "Category").Element("th", "Count", "num")
                .Close("tr").Close("thead").Open("tbody").Line();
            foreach ((string category, int count) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                html.Open("tr").Element("td", category).Element("td", MetricText.Count(count), "num").Close("tr").Line();
            }

            html.Close("tbody").Close("table").Line();
        }
    }

    private static void WritePositions(HtmlWriter html, string anchor, IReadOnlyDictionary<string, int> predicted, IReadOnlyDictionary<string, int> gold)
    {
        var letters = new SortedSet<string>(predicted.Keys, StringComparer.Ordinal);
        letters.UnionWith(gold.Keys);
        string[] categories = [.. letters];
        double[] predictedCounts = [.. categories.Select(c => (double)predicted.GetValueOrDefault(c))];
        double[] goldCounts = [.. categories.Select(c => (double)gold.GetValueOrDefault(c))];

        html.Open("h3", ("id", anchor + "-positions")).Text("Answer positions").Close("h3").Line();
        html.Element("p", "How often the model chose each option letter, next to how often each letter was the correct answer. "
            + "A model without position bias chooses each letter about as often as it is correct; a \"Chosen by the model\" bar "
            + "consistently taller than its \"Correct answer\" bar means the model favours that position.").Line();

        var chart = new SvgBarChart
        {
            Title = "Answer positions: predicted versus correct option letters",
            Description = "Grouped bars per option letter: the number of items where the model chose it and the number where it was the correct answer.",
            Categories = categories,
            Series = [new BarSeries("Chosen by the model", predictedCounts), new BarSeries("Correct answer", goldCounts)],
        };
        html.Open("div", ("class", "charts")).Open("figure").Trusted(chart.Render()).Close("figure");

        html.Open("table").Open("thead").Open("tr").Element("th", "Letter").Element("th", "Chosen by the model", "num")
            .Element("th", "Correct answer", "num").Close("tr").Close("thead").Open("tbody").Line();
        for (int i = 0; i < categories.Length; i++)
        {
            html.Open("tr").Element("td", categories[i]).Element("td", MetricText.Count((long)predictedCounts[i]), "num")
                .Element("td", MetricText.Count((long)goldCounts[i]), "num").Close("tr").Line();
        }

        html.Close("tbody").Close("table").Close("div").Line();
    }
}
