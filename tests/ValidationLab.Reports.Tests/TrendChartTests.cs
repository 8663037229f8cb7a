using System.Text;
using System.Text.RegularExpressions;
using ValidationLab.Exporters;
using ValidationLab.Reports.Html;

namespace ValidationLab.Reports.Tests;

/// <summary>
/// The "trend over earlier runs of the same model" chart (issue 10), drawn from <see cref="ReportEvidence.History"/>:
/// earlier runs then this run, with whiskers and a table, and nothing at all when there is no history.
/// </summary>
public sealed class TrendChartTests
{
    private static readonly DateTimeOffset Day = new(2025, 1, 1, 9, 30, 0, TimeSpan.Zero);

    private static string Page(ReportEvidence evidence)
    {
        using var stream = new MemoryStream();
        new HtmlReportExporter().WriteAsync(SampleRuns.SmallRun(), SampleRuns.SmallItems(), evidence, stream, CancellationToken.None).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static ReportEvidence History() => new()
    {
        History =
        [
            // Out of order on purpose: the chart orders by finish time.
            new ReportHistoryPoint("run-b", Day.AddDays(2), "medqa", "accuracy", 0.25, 0.1, 0.4, 40, "Wilson 95% CI"),
            new ReportHistoryPoint("run-a", Day, "medqa", "accuracy", 0.75, 0.6, 0.9, 40, "Wilson 95% CI"),
            new ReportHistoryPoint("run-a", Day, "medqa", "unparseable_rate", 0.1, 0.05, 0.2, 40, "Wilson 95% CI"),
            new ReportHistoryPoint("run-x", Day, "other", "accuracy", 0.5, 0.4, 0.6, 40, "Wilson 95% CI"),
        ],
    };

    [Fact]
    public void Without_history_the_report_has_no_trend_section_and_is_unchanged()
    {
        string none = Page(ReportEvidence.None);

        Assert.DoesNotContain("Trend over earlier runs", none, StringComparison.Ordinal);
        Assert.Equal(none, Page(new ReportEvidence { History = [] }));
    }

    [Fact]
    public void Earlier_runs_then_this_run_are_drawn_in_time_order_with_whiskers_and_a_table()
    {
        string page = Page(History());

        Assert.Contains("<h3>Trend over earlier runs</h3>", page, StringComparison.Ordinal);
        Assert.Contains("<title>Accuracy over earlier runs of baseline/always-a on medqa</title>", page, StringComparison.Ordinal);
        Assert.Contains(">Run, by time finished (UTC); the last is this run</text>", page, StringComparison.Ordinal);
        Assert.Contains(">Accuracy (%)</text>", page, StringComparison.Ordinal);

        // Three runs over a 280-wide plot from x = 56: centres at 102.7, 196.0, 289.3. Proportions span 0..1 over
        // y 34..236 (height 202): 75% -> 84.5, 25% -> 185.5, this run's 50% -> 135.0.
        Assert.Contains("d=\"M102.7 84.5L196.0 185.5L289.3 135.0\"", page, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(page, "<path class=\"whisker\"").Count);
        Assert.Single(Regex.Matches(page, "r=\"6\" fill=\"#b3261e\""));

        // The table alternative: one row per run, oldest first, this run last and named as such.
        int a = page.IndexOf("<td>run-a</td>", StringComparison.Ordinal);
        int b = page.IndexOf("<td>run-b</td>", StringComparison.Ordinal);
        int self = page.IndexOf("<td>20250105-140322-medqa-baseline (this run)</td>", StringComparison.Ordinal);
        Assert.True(a > 0 && b > a && self > b, "rows must be in time order with this run last");
        Assert.Contains("<td>run-a</td><td>2025-01-01 09:30:00 UTC</td><td class=\"num\">75.0%</td><td class=\"ci\">(Wilson 95% CI 60.0–90.0%, n = 40)</td>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("run-x", page, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absent_earlier_value_breaks_the_line_and_is_listed_without_a_number()
    {
        var evidence = new ReportEvidence
        {
            History =
            [
                new ReportHistoryPoint("run-a", Day, "medqa", "accuracy", 0.75, 0.6, 0.9, 40, "Wilson 95% CI"),
                new ReportHistoryPoint("run-b", Day.AddDays(1), "medqa", "accuracy", null, null, null, 0, "Wilson 95% CI"),
            ],
        };

        string page = Page(evidence);

        Assert.Contains("d=\"M102.7 84.5M289.3 135.0\"", page, StringComparison.Ordinal);
        Assert.Contains("<td>run-b</td><td>2025-01-02 09:30:00 UTC</td><td class=\"num\">—</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ids_from_the_registry_are_text_not_markup()
    {
        var evidence = new ReportEvidence
        {
            History = [new ReportHistoryPoint("<script>alert(1)</script>", Day, "medqa", "accuracy", 0.75, 0.6, 0.9, 40, "Wilson <b>95%</b> CI")],
        };

        string page = Page(evidence);

        Assert.DoesNotContain("<script>alert(1)", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>95%</b>", page, StringComparison.Ordinal);
    }
}
