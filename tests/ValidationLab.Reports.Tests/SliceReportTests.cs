using System.Text.RegularExpressions;
using ValidationLab.Results;
using ValidationLab.Results.Slices;

namespace ValidationLab.Reports.Tests;

/// <summary>The bias-slice part of a suite's section, rendered from a hand-built slices object where every figure is known.</summary>
public sealed partial class SliceReportTests
{
    private const string Hostile = "<script>alert(1)</script>\u202E";

    private static SliceMetric Metric(double value, double low, double high, int n, double? diff = null, SliceTest? test = null) =>
        new() { Metric = SampleRuns.Wilson(value, low, high, n), Difference = diff, Test = test, MinimumDetectableDifference = diff is null ? null : 0.123 };

    private static SliceGroup Group(string sex, int n, bool reference, SliceMetric metric) => new()
    {
        Values = new Dictionary<string, string> { ["sex"] = sex },
        Suppressed = false,
        Size = n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        N = n,
        IsReference = reference,
        Metrics = new Dictionary<string, SliceMetric> { ["accuracy"] = metric },
    };

    internal static RunResult RunWithSlices()
    {
        RunResult run = SampleRuns.SmallRun();
        var family = new SliceFamily
        {
            Attributes = ["sex"],
            ReferenceGroup = "female",
            Missing = 3,
            Groups = new Dictionary<string, SliceGroup>
            {
                ["female"] = Group("female", 120, true, Metric(0.80, 0.72, 0.86, 120)),
                ["male"] = Group("male", 90, false, Metric(0.60, 0.50, 0.69, 90, -0.20,
                    new SliceTest { Method = "Two-proportion z", Statistic = -3.1, PValue = 0.0019, AdjustedP = 0.0038, Significant = true })),
                [Hostile] = Group(Hostile, 40, false, Metric(0.75, 0.60, 0.86, 40, -0.05,
                    new SliceTest { Method = "Fisher exact (two-sided)", Statistic = 0.7, PValue = 0.49, AdjustedP = 0.49, Significant = false })),
                ["unknown"] = new SliceGroup
                {
                    Values = new Dictionary<string, string> { ["sex"] = "unknown" },
                    Suppressed = true,
                    Size = "< 20",
                    Metrics = new Dictionary<string, SliceMetric>(),
                },
            },
        };
        return run with
        {
            Slices = new SliceReport
            {
                Correction = "holm", Reference = "largest", MinCell = 20, Alpha = 0.05, AlertThreshold = 0.5, Tests = 2,
                Suites = new Dictionary<string, SuiteSlices>
                {
                    ["medqa"] = new SuiteSlices
                    {
                        Families = new Dictionary<string, SliceFamily> { ["sex"] = family },
                        Gaps = new Dictionary<string, SliceGap>
                        {
                            ["accuracy"] = new SliceGap
                            {
                                LargestGapSlice = "sex: male", LargestGap = -0.20, LargestGapAdjustedP = 0.0038,
                                LargestSignificantGapSlice = "sex: male", LargestSignificantGap = -0.20, LargestSignificantGapAdjustedP = 0.0038, Tested = 2,
                            },
                        },
                    },
                },
            },
        };
    }

    private readonly string _page = Render.Page(RunWithSlices(), SampleRuns.SmallItems());

    private string SliceTable()
    {
        Match m = Regex.Match(_page, "<table id=\"suite-[0-9]+-slices-1-0-table\" class=\"slices\">.*?</table>", RegexOptions.Singleline);
        Assert.True(m.Success, "slice table missing");
        return m.Value;
    }

    private static List<string> Rows(string table) =>
        [.. Regex.Matches(table, "<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline).Select(r => Regex.Replace(r.Groups[1].Value, "<[^>]+>", "|"))];

    [Fact]
    public void Table_has_one_row_per_group_reference_first_with_interval_gap_test_and_flag()
    {
        List<string> rows = Rows(SliceTable());

        Assert.Equal(5, rows.Count); // header + 4 groups
        Assert.Contains("female (reference)", rows[1], StringComparison.Ordinal);
        Assert.Contains("80.0% (Wilson 95% CI 72.0–86.0%, n = 120)", rows[1], StringComparison.Ordinal);
        string male = Assert.Single(rows, r => r.StartsWith("|male|", StringComparison.Ordinal));
        Assert.Contains("|90|", male, StringComparison.Ordinal);
        Assert.Contains("|−20.0 pts|", male, StringComparison.Ordinal);
        Assert.Contains("|12.3 pts|", male, StringComparison.Ordinal);
        Assert.Contains("|Two-proportion z||0.002||0.004|||significant|", male, StringComparison.Ordinal);
        string hostile = Assert.Single(rows, r => r.Contains("alert(1)", StringComparison.Ordinal));
        Assert.Contains("|−5.0 pts|", hostile, StringComparison.Ordinal);
        Assert.DoesNotContain("significant", hostile, StringComparison.Ordinal);
    }

    [Fact]
    public void Gap_interval_is_MOVER_from_the_two_groups_intervals()
    {
        // male − female: −0.20 − sqrt(0.10² + 0.06²) = −0.3166, −0.20 + sqrt(0.09² + 0.08²) = −0.0796.
        string male = Assert.Single(Rows(SliceTable()), r => r.StartsWith("|male|", StringComparison.Ordinal));
        Assert.Contains("|−31.7 pts to −8.0 pts|", male, StringComparison.Ordinal);
    }

    [Fact]
    public void Suppressed_group_shows_only_the_size_class_and_no_number()
    {
        string row = Assert.Single(Rows(SliceTable()), r => r.StartsWith("|unknown|", StringComparison.Ordinal));

        Assert.Contains("|< 20|", row.Replace("&lt;", "<", StringComparison.Ordinal), StringComparison.Ordinal);
        string rest = row.Replace("&lt; 20", "", StringComparison.Ordinal).Replace("fewer than 20", "", StringComparison.Ordinal);
        Assert.DoesNotMatch("[0-9]", rest);
    }

    [Fact]
    public void Forest_plot_has_title_zero_line_axis_label_a_point_per_tested_group_and_links_the_table()
    {
        Match svg = Regex.Match(_page, "<figure aria-describedby=\"(suite-[0-9]+-slices-1-0-table)\"><svg[^>]*class=\"chart forest\".*?</svg>", RegexOptions.Singleline);
        Assert.True(svg.Success, "forest plot missing");

        Assert.Contains("<title>Gap in accuracy to the reference group, by sex</title>", svg.Value, StringComparison.Ordinal);
        Assert.Contains("Group minus reference (percentage points)", svg.Value, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(svg.Value, "<line class=\"zero\""));
        Assert.Equal(2, Regex.Matches(svg.Value, "<circle class=\"point\"").Count); // male and the hostile group; not the reference, not suppressed
        Assert.Equal(2, Regex.Matches(svg.Value, "<line class=\"whisker\"").Count);
        Assert.Contains("href=\"#" + svg.Groups[1].Value + "\"", _page, StringComparison.Ordinal);
    }

    [Fact]
    public void Gate_inputs_are_in_plain_words()
    {
        Assert.Contains("Accuracy: the largest gap to the reference is −20.0 pts in sex: male (adjusted p = 0.004, 2 slices tested). "
            + "The largest significant gap is −20.0 pts in sex: male (adjusted p = 0.004).", _page, StringComparison.Ordinal);
        Assert.Contains("Holm-adjusted across all 2 slice tests", _page, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_group_key_is_text_everywhere()
    {
        Assert.DoesNotContain(Hostile, _page, StringComparison.Ordinal);
        int Scripts(string page) => HtmlTag.Scan(page).Count(t => t.Name == "script");
        Assert.Equal(Scripts(Render.Page(SampleRuns.SmallRun(), SampleRuns.SmallItems())), Scripts(_page));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", _page, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_without_slices_has_no_slice_section()
    {
        string page = Render.Page(SampleRuns.SmallRun(), SampleRuns.SmallItems());
        Assert.DoesNotContain("Bias slices", page, StringComparison.Ordinal);
    }
}
