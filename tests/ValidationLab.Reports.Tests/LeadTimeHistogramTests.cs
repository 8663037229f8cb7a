using System.Text.RegularExpressions;
using ValidationLab.Results;

namespace ValidationLab.Reports.Tests;

/// <summary>The lead-time histogram, read from a risk suite's time-to-detection curve.</summary>
public sealed class LeadTimeHistogramTests
{
    // Ten units with the outcome; eight alerted before onset, with leads 0.5, 0.5, 3, 3, 3, 7, 30 and 60 hours. The
    // time-to-detection curve (ThresholdEvaluation.TimeToDetection): 0 and each distinct lead h, with the share of the
    // ten alerted at least h hours before onset.
    private static readonly CurvePoint[] Detection =
        [new(0, 0.8), new(0.5, 0.8), new(3, 0.6), new(7, 0.3), new(30, 0.2), new(60, 0.1)];

    private static RunResult Run(IReadOnlyList<CurvePoint> points)
    {
        RunResult run = SampleRuns.SmallRun();
        SuiteResult medqa = run.Suites["medqa"] with
        {
            Curves = new SortedDictionary<string, Curve>(StringComparer.Ordinal)
            {
                ["time_to_detection"] = new Curve { Title = "Time to detection at threshold 0.3", XLabel = "hours before onset", YLabel = "share of units with the outcome", Points = points },
            },
            Metrics = new SortedDictionary<string, MetricValue>(run.Suites["medqa"].Metrics.ToDictionary(), StringComparer.Ordinal)
            {
                ["detected_units"] = new(8, null, null, 10, "count"),
            },
        };
        return run with { Suites = new SortedDictionary<string, SuiteResult>(StringComparer.Ordinal) { ["medqa"] = medqa } };
    }

    [Fact]
    public void Units_fall_into_their_lead_time_bins_with_counts_and_shares()
    {
        string page = Render.Page(Run(Detection), SampleRuns.SmallItems());

        Match table = Regex.Match(page, "<table id=\"suite-1-lead-time-table\" class=\"lead-time\">.*?</table>", RegexOptions.Singleline);
        Assert.True(table.Success, "lead-time table missing");
        string Row(string bin) => Regex.Match(table.Value, "<tr><th scope=\"row\">" + Regex.Escape(bin) + "</th><td class=\"num\">([0-9]+)</td><td class=\"num\">([0-9.]+%)</td></tr>").Groups is var g && g[0].Success
            ? g[1].Value + " " + g[2].Value : "missing";
        Assert.Equal("2 20.0%", Row("0–1 h"));
        Assert.Equal("0 0.0%", Row("1–2 h"));
        Assert.Equal("3 30.0%", Row("2–4 h"));
        Assert.Equal("0 0.0%", Row("4–6 h"));
        Assert.Equal("1 10.0%", Row("6–12 h"));
        Assert.Equal("0 0.0%", Row("12–24 h"));
        Assert.Equal("1 10.0%", Row("24–48 h"));
        Assert.Equal("1 10.0%", Row("≥ 48 h"));
        Assert.Equal("2 20.0%", Row("not alerted before onset"));
    }

    [Fact]
    public void The_chart_has_a_title_axis_labels_and_the_table_as_its_alternative()
    {
        string page = Render.Page(Run(Detection), SampleRuns.SmallItems());

        Match figure = Regex.Match(page, "<figure aria-describedby=\"suite-1-lead-time-table\"><svg[^>]*role=\"img\".*?</svg>", RegexOptions.Singleline);
        Assert.True(figure.Success, "lead-time chart missing");
        Assert.Contains("<title>Lead-time histogram: hours from the first alert to onset, units with the outcome</title>", figure.Value, StringComparison.Ordinal);
        Assert.Contains("class=\"x-label\"", figure.Value, StringComparison.Ordinal);
        Assert.Contains(">hours from first alert to onset</text>", figure.Value, StringComparison.Ordinal);
        Assert.Contains(">share of units with the outcome</text>", figure.Value, StringComparison.Ordinal);
        // One bar per bin (eight), each with its tooltip.
        Assert.Equal(8, Regex.Matches(figure.Value, "<title>Share of units with the outcome [^<]+</title></rect>").Count);
    }

    [Fact]
    public void A_curve_that_is_not_the_exact_step_function_gets_no_histogram()
    {
        // A thinned or resampled curve (y rising again) cannot be read back into lead times: nothing is drawn.
        string page = Render.Page(Run([new(0, 0.8), new(3, 0.6), new(7, 0.7)]), SampleRuns.SmallItems());

        Assert.DoesNotContain("lead-time", page, StringComparison.Ordinal);
        Assert.Contains("Time to detection at threshold 0.3", page, StringComparison.Ordinal);
    }
}
