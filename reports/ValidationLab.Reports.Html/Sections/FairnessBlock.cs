using System.Globalization;
using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Reports.Html.Svg;
using ValidationLab.Results.Slices;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// Risk suites' group fairness at the alert threshold, as the slicing stage computed it (results.json
/// <c>slices…groups.*.fairness</c>; definitions and their Fairlearn / Aequitas names in docs/slices.md): per family a
/// table of TPR and FPR with their gaps to the reference group (equalized odds), the alert rate with its difference
/// and ratio (alert-rate parity), and calibration-in-the-large with O/E; and a forest plot of the equalized-odds
/// gaps, whose text alternative is the table. Suppressed groups show nothing but their size class.
/// </summary>
internal static class FairnessBlock
{
    public static void Write(HtmlWriter html, SliceReport report, string familyName, SliceFamily family, string id)
    {
        var groups = family.Groups.OrderBy(g => g.Value.IsReference ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (!groups.Any(g => g.Value.Fairness is not null))
        {
            return;
        }

        string tableId = id + "-table";
        string threshold = report.AlertThreshold.ToString("0.###", CultureInfo.InvariantCulture);
        html.Open("h4", ("id", id)).Text("Fairness at the alert threshold by " + familyName).Close("h4").Line();
        html.Element("p", "An alert is a risk score of at least " + threshold + ". Equalized odds: the true- and false-positive rates "
            + "(alerts among patients with and without the event) should match the reference group's; its gap is the larger of the two "
            + "differences. Alert-rate parity: the share of the group alerted. Calibration-in-the-large: observed event rate minus mean "
            + "predicted risk (0 is calibrated, above 0 the model under-predicts); O/E is observed over expected events.", "muted").Line();

        var forest = new List<ForestRow>();
        html.Open("div", ("class", "charts"));
        html.Open("table", ("id", tableId), ("class", "fairness")).Open("caption").Text("Fairness at the alert threshold (" + threshold + ") by " + familyName).Close("caption")
            .Open("thead").Open("tr").Element("th", "Group").Element("th", "n", "num")
            .Element("th", "TPR", "num").Element("th", "FPR", "num").Element("th", "TPR gap", "num").Element("th", "FPR gap", "num").Element("th", "Equalized-odds gap", "num")
            .Element("th", "Alert rate", "num").Element("th", "Alert-rate gap", "num").Element("th", "Alert-rate ratio", "num")
            .Element("th", "Mean predicted", "num").Element("th", "Observed rate", "num").Element("th", "Calibration-in-the-large", "num").Element("th", "O/E", "num")
            .Close("tr").Close("thead").Open("tbody").Line();
        foreach ((string key, SliceGroup group) in groups)
        {
            html.Open("tr", ("class", group.Suppressed ? "suppressed" : null)).Open("th", ("scope", "row")).Text(key);
            if (group.IsReference)
            {
                html.Text(" (reference)");
            }

            html.Close("th");
            if (group.Suppressed || group.Fairness is not { } f)
            {
                html.Element("td", group.Suppressed ? "< " + MetricText.Count(report.MinCell) : MetricText.Absent, "num")
                    .Open("td", ("colspan", "12"), ("class", "muted"))
                    .Text(group.Suppressed ? "suppressed: fewer than " + MetricText.Count(report.MinCell) + " items" : "no item of this group has both a risk score and an outcome")
                    .Close("td").Close("tr").Line();
                continue;
            }

            html.Element("td", MetricText.Count(f.N), "num")
                .Element("td", Rate(f.Tpr), "num").Element("td", Rate(f.Fpr), "num")
                .Element("td", Points(f.TprDifference), "num").Element("td", Points(f.FprDifference), "num").Element("td", Points(f.EqualizedOddsDifference), "num")
                .Element("td", Rate(f.AlertRate), "num").Element("td", Points(f.AlertRateDifference), "num").Element("td", Ratio(f.AlertRateRatio), "num")
                .Element("td", Rate(f.MeanPredicted), "num").Element("td", Rate(f.ObservedRate), "num").Element("td", Points(f.CalibrationInTheLarge), "num")
                .Element("td", Ratio(f.ObservedExpectedRatio), "num").Close("tr").Line();

            // The plot shows the signed gap that decides equalized odds (the larger of the TPR and FPR gaps).
            if (!group.IsReference && Signed(f) is { } gap)
            {
                forest.Add(new ForestRow(key, gap, null, null, false));
            }
        }

        html.Close("tbody").Close("table").Line();
        if (forest.Count == 0)
        {
            html.Element("p", "No group has an equalized-odds gap to plot.", "muted").Close("div").Line();
            return;
        }

        var chart = new SvgForestPlot
        {
            Title = "Equalized-odds gap to the reference group at the alert threshold, by " + familyName,
            XLabel = "Larger of the TPR and FPR gaps, group minus reference (percentage points)",
            Rows = forest,
            Tick = v => (v * 100).ToString("0.#", CultureInfo.InvariantCulture),
        };
        html.Open("figure", ("aria-describedby", tableId)).Trusted(chart.Render())
            .Open("figcaption").Text("Each point is the larger (in size) of the group's TPR and FPR gaps to the reference group; the solid line is no gap. No interval: the slicing stage gives none for these gaps. ")
            .Open("a", ("href", "#" + tableId)).Text("The table beside it gives every rate.").Close("a").Close("figcaption").Close("figure").Close("div").Line();
    }

    // Equalized-odds difference is max(|TPR gap|, |FPR gap|); the plot keeps the sign of whichever is larger.
    private static double? Signed(SliceFairness f)
    {
        double? tpr = f.TprDifference is { } t && double.IsFinite(t) ? t : null;
        double? fpr = f.FprDifference is { } p && double.IsFinite(p) ? p : null;
        return (tpr, fpr) switch
        {
            ({ } a, { } b) => Math.Abs(a) >= Math.Abs(b) ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => null,
        };
    }

    private static string Rate(double? value) =>
        value is { } v && double.IsFinite(v) ? (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%" : MetricText.Absent;

    private static string Points(double? value) =>
        value is { } v && double.IsFinite(v) ? (v >= 0 ? "+" : "−") + Math.Abs(v * 100).ToString("F1", CultureInfo.InvariantCulture) + " pts" : MetricText.Absent;

    private static string Ratio(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("F2", CultureInfo.InvariantCulture) : MetricText.Absent;
}
