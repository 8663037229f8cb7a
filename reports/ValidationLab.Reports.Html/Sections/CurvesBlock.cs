using System.Globalization;
using ValidationLab.Reports.Html.Svg;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// The suite's curves (results.json <c>curves</c>: ROC, reliability diagram, time-to-detection, …), each as a line
/// chart with its points as a table beside it. ROC and reliability curves get the y = x reference line.
/// </summary>
internal static class CurvesBlock
{
    public static void Write(HtmlWriter html, SuiteView suite)
    {
        if (suite.Result is not { Curves.Count: > 0 } result)
        {
            return;
        }

        html.Element("h3", "Curves").Line();
        foreach ((string name, Curve curve) in result.Curves.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            bool diagonal = name.Contains("roc", StringComparison.OrdinalIgnoreCase) || name.Contains("reliab", StringComparison.OrdinalIgnoreCase)
                || name.Contains("calibration", StringComparison.OrdinalIgnoreCase);
            var chart = new SvgLineChart
            {
                Title = curve.Title,
                XLabel = curve.XLabel,
                YLabel = curve.YLabel,
                Points = [.. curve.Points.Select(p => (p.X, p.Y))],
                Diagonal = diagonal,
            };
            html.Open("div", ("class", "charts")).Open("figure").Trusted(chart.Render())
                .Element("figcaption", curve.Title + (diagonal ? "; the dashed line is y = x (chance for ROC, perfect calibration for reliability)." : "."))
                .Close("figure");
            html.Open("details").Element("summary", "The " + curve.Points.Count.ToString(CultureInfo.InvariantCulture) + " points as a table");
            html.Open("table").Open("thead").Open("tr").Element("th", curve.XLabel, "num").Element("th", curve.YLabel, "num").Element("th", "Note")
                .Close("tr").Close("thead").Open("tbody").Line();
            foreach (CurvePoint p in curve.Points)
            {
                html.Open("tr").Element("td", p.X.ToString("0.####", CultureInfo.InvariantCulture), "num")
                    .Element("td", p.Y.ToString("0.####", CultureInfo.InvariantCulture), "num").Element("td", p.Label ?? "").Close("tr").Line();
            }

            html.Close("tbody").Close("table").Close("details").Close("div").Line();
        }
    }
}
