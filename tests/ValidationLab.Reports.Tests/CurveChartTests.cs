using System.Text.RegularExpressions;
using ValidationLab.Results;

namespace ValidationLab.Reports.Tests;

/// <summary>Curves from results.json (ROC, reliability, time-to-detection) drawn as charts with a table of their points.</summary>
public sealed class CurveChartTests
{
    private static string PageWithCurves()
    {
        RunResult run = SampleRuns.SmallRun();
        SuiteResult medqa = run.Suites["medqa"] with
        {
            Curves = new SortedDictionary<string, Curve>(StringComparer.Ordinal)
            {
                ["roc"] = new Curve { Title = "ROC <curve>", XLabel = "False-positive rate", YLabel = "Sensitivity", Points = [new(0, 0), new(0.25, 0.6, "t=0.7"), new(1, 1)] },
                ["time_to_detection"] = new Curve { Title = "Time to detection", XLabel = "Hours before onset", YLabel = "Share detected", Points = [new(0, 0.1), new(12, 0.4), new(24, 0.5)] },
            },
        };
        return Render.Page(run with { Suites = new Dictionary<string, SuiteResult>(run.Suites) { ["medqa"] = medqa } }, SampleRuns.SmallItems());
    }

    [Fact]
    public void Each_curve_has_a_title_axis_labels_and_its_points_as_a_table()
    {
        string page = PageWithCurves();

        Assert.Contains("<title>ROC &lt;curve&gt;</title>", page, StringComparison.Ordinal);
        Assert.Contains(">False-positive rate</text>", page, StringComparison.Ordinal);
        Assert.Contains(">Sensitivity</text>", page, StringComparison.Ordinal);
        Assert.Contains("<summary>The 3 points as a table</summary>", page, StringComparison.Ordinal);
        Assert.Contains("<tr><td class=\"num\">0.25</td><td class=\"num\">0.6</td><td>t=0.7</td></tr>", page, StringComparison.Ordinal);
        Assert.Contains(">Hours before onset</text>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Roc_gets_the_chance_diagonal_and_points_are_placed_on_the_scale()
    {
        string page = PageWithCurves();

        // Plot 56..404 wide and 34..252 high: (0.25, 0.6) lands at x = 56 + 0.25·348 = 143, y = 252 − 0.6·218 = 121.2.
        Assert.Contains("d=\"M56.0 252.0L143.0 121.2L404.0 34.0\"", page, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(page, "stroke-dasharray=\"4 4\""));
    }
}
