using System.Text.RegularExpressions;
using ValidationLab.Results;
using ValidationLab.Results.Slices;

namespace ValidationLab.Reports.Tests;

/// <summary>Risk suites' fairness at the alert threshold (results.json slices…fairness), as a table and a forest plot.</summary>
public sealed class FairnessTableTests
{
    private static RunResult RunWithFairness()
    {
        RunResult run = SliceReportTests.RunWithSlices();
        SliceFamily family = run.Slices!.Suites["medqa"].Families["sex"];
        var groups = family.Groups.ToDictionary(g => g.Key, g => g.Key switch
        {
            "female" => g.Value with { Fairness = new SliceFairness { N = 118, Tpr = 0.75, Fpr = 0.10, AlertRate = 0.25, MeanPredicted = 0.20, ObservedRate = 0.22, CalibrationInTheLarge = 0.02, ObservedExpectedRatio = 1.1 } },
            "male" => g.Value with
            {
                Fairness = new SliceFairness
                {
                    N = 90, Tpr = 0.55, Fpr = 0.16, AlertRate = 0.31, MeanPredicted = 0.25, ObservedRate = 0.20, CalibrationInTheLarge = -0.05,
                    ObservedExpectedRatio = 0.8, TprDifference = -0.20, FprDifference = 0.06, EqualizedOddsDifference = 0.20, AlertRateDifference = 0.06, AlertRateRatio = 1.24,
                },
            },
            _ => g.Value,
        });
        SuiteSlices slices = run.Slices.Suites["medqa"] with { Families = new Dictionary<string, SliceFamily> { ["sex"] = family with { Groups = groups } } };
        return run with { Slices = run.Slices with { AlertThreshold = 0.3, Suites = new Dictionary<string, SuiteSlices> { ["medqa"] = slices } } };
    }

    private static string Table(string page)
    {
        Match m = Regex.Match(page, "<table id=\"suite-[0-9]+-slices-1-fairness-table\" class=\"fairness\">.*?</table>", RegexOptions.Singleline);
        Assert.True(m.Success, "fairness table missing");
        return m.Value;
    }

    [Fact]
    public void Each_group_shows_its_rates_and_gaps_at_the_alert_threshold()
    {
        string table = Table(Render.Page(RunWithFairness(), SampleRuns.SmallItems()));

        Assert.Contains("Fairness at the alert threshold (0.3) by sex", table, StringComparison.Ordinal);
        // male: TPR 55.0%, FPR 16.0%, gaps −20.0 / +6.0 pts, equalized odds +20.0 pts, alert rate 31.0% (+6.0 pts, ratio 1.24), CITL −5.0 pts, O/E 0.80
        Assert.Matches("<th scope=\"row\">male</th><td class=\"num\">90</td><td class=\"num\">55.0%</td><td class=\"num\">16.0%</td><td class=\"num\">−20.0 pts</td>"
            + "<td class=\"num\">\\+6.0 pts</td><td class=\"num\">\\+20.0 pts</td><td class=\"num\">31.0%</td><td class=\"num\">\\+6.0 pts</td><td class=\"num\">1.24</td>"
            + "<td class=\"num\">25.0%</td><td class=\"num\">20.0%</td><td class=\"num\">−5.0 pts</td><td class=\"num\">0.80</td>", table);
        Assert.Contains("<th scope=\"row\">female (reference)</th><td class=\"num\">118</td><td class=\"num\">75.0%</td>", table, StringComparison.Ordinal);
        // The suppressed group shows its size class only; the group without fairness says so.
        Assert.Contains("suppressed: fewer than 20 items", table, StringComparison.Ordinal);
        Assert.Contains("no item of this group has both a risk score and an outcome", table, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_forest_plot_shows_the_signed_larger_gap_and_the_table_is_its_alternative()
    {
        string page = Render.Page(RunWithFairness(), SampleRuns.SmallItems());

        Match figure = Regex.Match(page, "<figure aria-describedby=\"(suite-[0-9]+-slices-1-fairness-table)\"><svg[^>]*>.*?</figure>", RegexOptions.Singleline);
        Assert.True(figure.Success, "fairness forest plot missing");
        Assert.Contains("<title>Equalized-odds gap to the reference group at the alert threshold, by sex</title>", figure.Value, StringComparison.Ordinal);
        // One point (male, the only non-reference group with fairness): its TPR gap (−20 pts) is larger than its FPR gap.
        Assert.Single(Regex.Matches(figure.Value, "class=\"point"));
        double zero = double.Parse(Regex.Match(figure.Value, "class=\"zero\" x1=\"([0-9.]+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        double point = double.Parse(Regex.Match(figure.Value, "class=\"point\" cx=\"([0-9.]+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(point < zero, $"the point ({point}) must be left of no gap ({zero}): the TPR gap is negative");
    }

    [Fact]
    public void A_suite_without_fairness_gets_no_fairness_table() =>
        Assert.DoesNotContain("class=\"fairness\"", Render.Page(SliceReportTests.RunWithSlices(), SampleRuns.SmallItems()), StringComparison.Ordinal);
}
