using System.Globalization;
using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Reports.Html.Svg;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// Lead-time histogram of a risk suite: how long before onset the units (patients or stays) with the outcome were
/// first alerted, in clinically read bins. Built from the suite's <c>time_to_detection</c> curve, which holds the
/// per-unit lead times exactly: its points are 0 and every distinct lead h, each with the share of units with the
/// outcome alerted at least h hours before onset, so the share whose lead is exactly h is the drop to the next point.
/// No suite change is needed. Units never alerted before onset have no lead time and are counted apart.
/// </summary>
internal static class LeadTimeBlock
{
    public const string CurveName = "time_to_detection";

    // Bin edges in hours: [0,1), [1,2), [2,4), [4,6), [6,12), [12,24), [24,48), 48 and more.
    private static readonly double[] Edges = [0, 1, 2, 4, 6, 12, 24, 48];

    public static void Write(HtmlWriter html, SuiteView suite)
    {
        if (suite.Result?.Curves.GetValueOrDefault(CurveName) is not { } curve || Shares(curve) is not { } shares)
        {
            return;
        }

        // The count of units with the outcome, when the suite reports it (detected_units: value detected, n with the outcome).
        int? positives = suite.Result.Metrics.GetValueOrDefault("detected_units")?.N;
        double[] bins = new double[Edges.Length];
        foreach ((double lead, double share) in shares)
        {
            int b = Array.FindLastIndex(Edges, e => lead >= e);
            bins[Math.Max(0, b)] += share;
        }

        double detected = bins.Sum();
        string[] labels = [.. Edges.Select((e, i) => i + 1 < Edges.Length ? Hours(e) + "–" + Hours(Edges[i + 1]) + " h" : "≥ " + Hours(e) + " h")];
        string id = suite.Anchor + "-lead-time";
        string tableId = id + "-table";
        html.Open("h3", ("id", id)).Text("Lead time").Close("h3").Line();
        var chart = new SvgBarChart
        {
            Title = "Lead-time histogram: hours from the first alert to onset, units with the outcome",
            Description = "Share of units with the outcome first alerted this many hours before onset; "
                + Percent(1 - detected) + " were not alerted before onset.",
            Categories = labels,
            Series = [new BarSeries("Share of units with the outcome", [.. bins])],
            YMax = null,
            WholeNumbers = false,
            FormatValue = Percent,
            XLabel = "hours from first alert to onset",
            YLabel = "share of units with the outcome",
        };
        html.Open("div", ("class", "charts")).Open("figure", ("aria-describedby", tableId)).Trusted(chart.Render())
            .Open("figcaption").Text("From the time-to-detection curve at the alert threshold. " + Percent(1 - detected)
                + " of units with the outcome were not alerted before onset and have no lead time. ")
            .Open("a", ("href", "#" + tableId)).Text("The table beside it gives the same numbers.").Close("a").Close("figcaption").Close("figure");
        html.Open("table", ("id", tableId), ("class", "lead-time")).Open("caption").Text("Lead time of units with the outcome").Close("caption")
            .Open("thead").Open("tr").Element("th", "Hours from first alert to onset");
        if (positives is not null)
        {
            html.Element("th", "Units", "num");
        }

        html.Element("th", "Share of units with the outcome", "num").Close("tr").Close("thead").Open("tbody").Line();
        for (int i = 0; i < bins.Length; i++)
        {
            Row(html, labels[i], bins[i], positives);
        }

        Row(html, "not alerted before onset", Math.Max(0, 1 - detected), positives);
        html.Close("tbody").Close("table").Close("div").Line();
    }

    /// <summary>
    /// (lead hours, share of units with the outcome whose lead is exactly that) from the curve; null when the curve
    /// is not the exact step function this reads (x must rise, y must not), so a thinned curve is never misread.
    /// </summary>
    internal static List<(double Lead, double Share)>? Shares(Curve curve)
    {
        IReadOnlyList<CurvePoint> p = curve.Points;
        if (p.Count == 0 || p[0].X != 0)
        {
            return null;
        }

        var shares = new List<(double, double)>(p.Count);
        for (int i = 0; i < p.Count; i++)
        {
            if (!double.IsFinite(p[i].X) || !double.IsFinite(p[i].Y) || p[i].Y < 0 || p[i].Y > 1
                || (i > 0 && (p[i].X <= p[i - 1].X || p[i].Y > p[i - 1].Y)))
            {
                return null;
            }

            double share = p[i].Y - (i + 1 < p.Count ? p[i + 1].Y : 0);
            if (share > 1e-12)
            {
                shares.Add((p[i].X, share));
            }
        }

        return shares;
    }

    private static void Row(HtmlWriter html, string label, double share, int? positives)
    {
        html.Open("tr").Open("th", ("scope", "row")).Text(label).Close("th");
        if (positives is { } n)
        {
            html.Element("td", MetricText.Count((int)Math.Round(share * n)), "num");
        }

        html.Element("td", Percent(share), "num").Close("tr").Line();
    }

    private static string Hours(double h) => h.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Percent(double v) => (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
