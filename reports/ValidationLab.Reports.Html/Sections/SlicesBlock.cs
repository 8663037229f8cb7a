using System.Globalization;
using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Reports.Html.Svg;
using ValidationLab.Results;
using ValidationLab.Results.Slices;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// The suite's bias slices (results.json <c>slices</c>): the gate inputs in words, then per family a table (group,
/// n, metric with interval, gap to the reference group, test and adjusted p, flag) and a forest plot of the gaps
/// whose text alternative is that table. Suppressed groups show only "&lt; min_cell": no number of theirs is written.
/// </summary>
internal static class SlicesBlock
{
    public static void Write(HtmlWriter html, SuiteView suite, SliceReport? report)
    {
        if (report is null || !report.Suites.TryGetValue(suite.Name, out SuiteSlices? slices))
        {
            return;
        }

        string anchor = suite.Anchor + "-slices";
        html.Open("h3", ("id", anchor)).Text("Bias slices").Close("h3").Line();
        string correction = report.Correction == "bh" ? "Benjamini–Hochberg" : report.Correction == "holm" ? "Holm" : report.Correction;
        html.Element("p", "Each group is compared with its reference group (" + report.Reference + "); p-values are " + correction
            + "-adjusted across all " + MetricText.Count(report.Tests) + " slice tests of the run and a gap is flagged when the adjusted p is below "
            + report.Alpha.ToString("0.###", CultureInfo.InvariantCulture) + ". Groups with fewer than " + MetricText.Count(report.MinCell)
            + " items are suppressed: their estimates are noise and tiny groups can re-identify patients.", "muted").Line();

        WriteGaps(html, slices);
        if (slices.NotApplicable.Count > 0)
        {
            html.Element("p", "Not applicable to this suite (no item carries the attribute): " + string.Join(", ", slices.NotApplicable) + ".", "muted").Line();
        }

        int index = 0;
        foreach ((string familyName, SliceFamily family) in slices.Families.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            index++;
            string familyAnchor = anchor + "-" + index.ToString(CultureInfo.InvariantCulture);
            foreach (string metric in Metrics(family))
            {
                WriteFamily(html, report, familyName, family, metric, familyAnchor + "-" + MetricIndex(family, metric));
            }

            FairnessBlock.Write(html, report, familyName, family, familyAnchor + "-fairness");
        }
    }

    private static string MetricIndex(SliceFamily family, string metric) =>
        Metrics(family).ToList().IndexOf(metric).ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> Metrics(SliceFamily family) =>
        family.Groups.Values.SelectMany(g => g.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static void WriteGaps(HtmlWriter html, SuiteSlices slices)
    {
        if (slices.Gaps.Count == 0)
        {
            return;
        }

        html.Element("h4", "Gate inputs").Open("ul").Line();
        foreach ((string metric, SliceGap gap) in slices.Gaps.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            string label = MetricText.Label(metric);
            string text;
            if (gap.LargestGap is not { } largest || gap.LargestGapSlice is null)
            {
                text = label + ": no slice could be tested (" + MetricText.Count(gap.Tested) + " tested).";
            }
            else
            {
                text = label + ": the largest gap to the reference is " + Gap(metric, largest) + " in " + gap.LargestGapSlice
                    + " (adjusted p = " + P(gap.LargestGapAdjustedP) + ", " + MetricText.Count(gap.Tested) + " slices tested). "
                    + (gap.LargestSignificantGap is { } sig && gap.LargestSignificantGapSlice is { } sigSlice
                        ? "The largest significant gap is " + Gap(metric, sig) + " in " + sigSlice + " (adjusted p = " + P(gap.LargestSignificantGapAdjustedP) + ")."
                        : "No gap is significant after correction.");
            }

            html.Element("li", text).Line();
        }

        html.Close("ul").Line();
    }

    private static void WriteFamily(HtmlWriter html, SliceReport report, string familyName, SliceFamily family, string metric, string id)
    {
        string tableId = id + "-table";
        string label = MetricText.Label(metric);
        html.Open("h4", ("id", id)).Text(label + " by " + familyName).Close("h4").Line();
        html.Element("p", "Reference group: " + (family.ReferenceGroup ?? "none (no group is large enough)")
            + (family.Missing > 0 ? "; " + MetricText.Count(family.Missing) + " items lack the attribute and are left out." : "."), "muted").Line();

        var groups = family.Groups.OrderBy(g => g.Value.IsReference ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        bool clustered = groups.Any(g => g.Value.Clusters is not null);
        var forest = new List<ForestRow>();

        // Table and plot share one .charts block, as the other charts do, so the table is the plot's text alternative.
        html.Open("div", ("class", "charts"));
        html.Open("table", ("id", tableId), ("class", "slices")).Open("caption").Text(label + " by " + familyName + ", with the gap to the reference group").Close("caption")
            .Open("thead").Open("tr").Element("th", "Group").Element("th", clustered ? "n (clusters)" : "n", "num").Element("th", label)
            .Element("th", "Gap to reference", "num").Element("th", "95% CI of gap").Element("th", "Smallest detectable gap (80% power)", "num").Element("th", "Test").Element("th", "p", "num").Element("th", "Adjusted p", "num")
            .Element("th", "Flag").Close("tr").Close("thead").Open("tbody").Line();
        SliceMetric? reference = family.ReferenceGroup is { } refKey && family.Groups.TryGetValue(refKey, out SliceGroup? refGroup)
            && refGroup.Metrics.TryGetValue(metric, out SliceMetric? rm) ? rm : null;

        foreach ((string key, SliceGroup group) in groups)
        {
            html.Open("tr", ("class", group.Suppressed ? "suppressed" : null)).Open("th", ("scope", "row")).Text(key);
            if (group.IsReference)
            {
                html.Text(" (reference)");
            }

            html.Close("th");
            if (group.Suppressed)
            {
                // Only the size class is shown; every other cell is blank by design.
                html.Element("td", "< " + MetricText.Count(report.MinCell), "num")
                    .Open("td", ("colspan", "8"), ("class", "muted")).Text("suppressed: fewer than " + MetricText.Count(report.MinCell) + " items").Close("td").Close("tr").Line();
                continue;
            }

            string n = group.N is { } count ? MetricText.Count(count) : group.Size;
            if (group.Clusters is { } clusters)
            {
                n += " (" + MetricText.Count(clusters) + ")";
            }

            html.Element("td", n, "num");
            if (!group.Metrics.TryGetValue(metric, out SliceMetric? m))
            {
                html.Open("td", ("colspan", "8"), ("class", "muted")).Text("not computed for this group").Close("td").Close("tr").Line();
                continue;
            }

            html.Element("td", MetricText.Full(metric, m.Metric));
            (double? low, double? high) = DifferenceInterval(m, reference);
            html.Element("td", m.Difference is { } d ? Gap(metric, d) : MetricText.Absent, "num")
                .Element("td", low is { } l && high is { } h ? Gap(metric, l) + " to " + Gap(metric, h) : MetricText.Absent)
                .Element("td", m.MinimumDetectableDifference is { } mdd && double.IsFinite(mdd) ? Gap(metric, mdd)[1..] : MetricText.Absent, "num");
            if (m.Test is { } test)
            {
                html.Element("td", test.Method).Element("td", P(test.PValue), "num").Element("td", P(test.AdjustedP), "num")
                    .Open("td").Element(test.Significant ? "strong" : "span", test.Significant ? "significant" : "").Close("td");
            }
            else
            {
                html.Element("td", group.IsReference ? "reference" : m.NoTest ?? "no test", "muted").Element("td", MetricText.Absent, "num")
                    .Element("td", MetricText.Absent, "num").Element("td", "");
            }

            html.Close("tr").Line();
            if (!group.IsReference && m.Difference is { } diff && double.IsFinite(diff))
            {
                forest.Add(new ForestRow(key, diff, low, high, m.Test?.Significant == true));
            }
        }

        html.Close("tbody").Close("table").Line();
        if (forest.Count == 0)
        {
            html.Element("p", "No group has a gap to plot.", "muted").Close("div").Line();
            return;
        }

        bool proportion = MetricText.IsProportion(metric);
        var chart = new SvgForestPlot
        {
            Title = "Gap in " + label.ToLowerInvariant() + " to the reference group, by " + familyName,
            XLabel = proportion ? "Group minus reference (percentage points)" : "Group minus reference",
            Rows = forest,
            Tick = v => proportion ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture),
        };
        html.Open("figure", ("aria-describedby", tableId)).Trusted(chart.Render())
            .Open("figcaption").Text("Points are gaps to the reference group with approximate 95% intervals (MOVER, from the two groups' intervals); the solid line is no gap; red points are flagged after correction. ")
            .Open("a", ("href", "#" + tableId)).Text("The table beside it gives the same numbers.").Close("a").Close("figcaption").Close("figure").Close("div").Line();
    }

    /// <summary>
    /// Interval of the gap by the MOVER method (Zou and Donner; Newcombe's hybrid score for two Wilson intervals):
    /// each side combines the two groups' own interval half-widths. Approximate, and ignores any pairing between
    /// groups; null when either group lacks an interval.
    /// </summary>
    internal static (double? Low, double? High) DifferenceInterval(SliceMetric slice, SliceMetric? reference)
    {
        if (reference is null || slice.Difference is null || slice.Metric.Value is not { } p1 || reference.Metric.Value is not { } p2
            || slice.Metric.CiLow is not { } l1 || slice.Metric.CiHigh is not { } u1 || reference.Metric.CiLow is not { } l2 || reference.Metric.CiHigh is not { } u2
            || !double.IsFinite(p1 + p2 + l1 + u1 + l2 + u2))
        {
            return (null, null);
        }

        double d = p1 - p2;
        return (d - Math.Sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2)), d + Math.Sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2)));
    }

    private static string Gap(string metric, double value) =>
        MetricText.IsProportion(metric)
            ? (value >= 0 ? "+" : "−") + Math.Abs(value * 100).ToString("F1", CultureInfo.InvariantCulture) + " pts"
            : (value >= 0 ? "+" : "−") + Math.Abs(value).ToString("F3", CultureInfo.InvariantCulture);

    private static string P(double? p) =>
        p is not { } v || !double.IsFinite(v) ? MetricText.Absent : v < 0.001 ? "< 0.001" : v.ToString("F3", CultureInfo.InvariantCulture);
}
