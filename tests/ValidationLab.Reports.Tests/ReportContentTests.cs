using System.Text.RegularExpressions;
using ValidationLab.Results;

namespace ValidationLab.Reports.Tests;

/// <summary>What a clinical reviewer relies on: every figure with interval, method and n; errored is not incorrect.</summary>
public sealed partial class ReportContentTests
{
    private readonly string _page = Render.Page(SampleRuns.SmallRun(), SampleRuns.SmallItems());

    [Fact]
    public void Header_names_run_model_seed_dates_version_and_config()
    {
        Assert.Contains("20250105-140322-medqa-baseline", _page, StringComparison.Ordinal);
        Assert.Contains("baseline/always-a", _page, StringComparison.Ordinal);
        Assert.Contains("<dt>Seed</dt><dd>1234</dd>", _page, StringComparison.Ordinal);
        Assert.Contains("2025-01-05 14:03:22 UTC", _page, StringComparison.Ordinal);
        Assert.Contains("2025-01-05 14:07:34 UTC (took 4 min 12 s)", _page, StringComparison.Ordinal);
        Assert.Contains("<dt>Harness version</dt><dd>0.1.0</dd>", _page, StringComparison.Ordinal);
        Assert.Contains(SampleRuns.Manifest().ConfigSha256, _page, StringComparison.Ordinal);
    }

    [Fact]
    public void Headline_reads_with_interval_method_and_n()
    {
        Assert.Contains("Accuracy <b>50.0%</b> <span class=\"ci\">(Wilson 95% CI 15.0–85.0%, n = 4)</span>", _page, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_percentage_outside_the_charts_is_followed_by_its_interval_and_n()
    {
        // Charts are excluded: their axis ticks are percentages too, and the same figures sit in the table beside them.
        string text = SvgElement().Replace(_page, "");
        foreach (Match value in BoldValue().Matches(text))
        {
            string after = text.Substring(value.Index + value.Length, Math.Min(120, text.Length - value.Index - value.Length));
            Assert.Matches(@"^( <span class=""ci"">|</td><td class=""ci"">)\((Wilson 95% CI [0-9.]+–[0-9.]+%|[^)]*no interval), n = \d+\)</(span|td)>", after);
        }

        Assert.True(BoldValue().Matches(text).Count >= 6, "expected headline, metrics and breakdown figures");
    }

    [Fact]
    public void Counts_are_explained_in_plain_words()
    {
        Assert.Contains("counted as incorrect", _page, StringComparison.Ordinal);
        Assert.Contains("1 errored item is left out of accuracy and its n", _page, StringComparison.Ordinal);
        Assert.Contains("<tr><th>Errored</th><td class=\"num\">1</td>", _page, StringComparison.Ordinal);
    }

    [Fact]
    public void Errored_item_is_shown_as_errored_not_incorrect()
    {
        ItemData.Row row = ItemRow("medqa-0005");

        Assert.Equal("e", row.Outcome);
        Assert.StartsWith("Errored: no answer, so left out of accuracy (not counted as incorrect).", row.Why, StringComparison.Ordinal);
        Assert.Equal("http_503: service unavailable after 5 attempts", row.Error);
    }

    [Fact]
    public void Outcome_keys_tell_unparseable_incorrect_and_correct_apart()
    {
        Assert.Equal("u", ItemRow("medqa-0004").Outcome);
        Assert.Equal("i", ItemRow("medqa-0002").Outcome);
        Assert.Equal("c", ItemRow("medqa-0001").Outcome);
    }

    [Fact]
    public void Item_shows_question_verbatim_output_answer_gold_and_explanation()
    {
        ItemData.Row row = ItemRow("medqa-0001");

        Assert.Equal("The answer is (A).\nReasoning: \"classic\" <presentation> & history.", row.Output);
        Assert.Equal("A", row.Answer);
        Assert.Equal("A", row.Gold);
        Assert.Contains("extracted A from 'The answer is (A)'; gold is A", row.Why, StringComparison.Ordinal);
        Assert.Contains("Which drug is first line?\nA) Insulin", row.Question, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_item_is_in_the_data_block_and_the_page_says_where_they_are_without_scripts()
    {
        Assert.Equal(5, ItemData.Parse(_page).Count);
        Assert.Contains("<noscript>The item browser needs JavaScript. Every item is also in items.jsonl", _page, StringComparison.Ordinal);
        Assert.Contains("<div class=\"filters\" hidden=\"\"", _page, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_suite_says_no_items_and_never_nan()
    {
        Assert.Contains("This suite had no items", _page, StringComparison.Ordinal);
        Assert.Contains("<td><b>no items</b></td><td class=\"ci\">(n = 0)</td>", _page, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", _page, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", _page, StringComparison.Ordinal);
        Assert.DoesNotContain("∞", _page, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_with_no_suites_and_no_items_renders()
    {
        RunResult run = SampleRuns.SmallRun() with { Suites = new Dictionary<string, SuiteResult>(), Warnings = [] };

        string page = Render.Page(run, []);

        Assert.Contains("This run has no suites and no items.", page, StringComparison.Ordinal);
        Assert.Contains("No warnings were raised", page, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Items_of_a_suite_without_results_are_still_listed()
    {
        var items = new List<ItemResult>(SampleRuns.SmallItems())
        {
            SampleRuns.Item("orphan-1", ItemStatus.Scored, "B", "B", true, "extracted B", "B", suite: "zzz-orphan"),
        };

        string page = Render.Page(SampleRuns.SmallRun(), items);

        Assert.Contains("Suite: zzz-orphan", page, StringComparison.Ordinal);
        Assert.Contains(ItemData.Parse(page), r => r.Id == "orphan-1");
    }

    [Fact]
    public void Count_metric_without_interval_says_so()
    {
        RunResult run = SampleRuns.SmallRun();
        SuiteResult medqa = run.Suites["medqa"] with
        {
            Metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal) { ["answered"] = new(4, null, null, 5, "count") },
        };
        run = run with { Suites = new SortedDictionary<string, SuiteResult>(StringComparer.Ordinal) { ["medqa"] = medqa } };

        string page = Render.Page(run, SampleRuns.SmallItems());

        Assert.Contains("<b>4</b></td><td class=\"ci\">(count, no interval, n = 5)</td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        (RunResult run, IReadOnlyList<ItemResult> items) = SampleRuns.Large(1000);
        using var stream = new MemoryStream();
        var token = new CancellationToken(canceled: true);

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Html.HtmlReportExporter().WriteAsync(run, items, stream, token).GetAwaiter().GetResult());
    }

    private ItemData.Row ItemRow(string id) => Assert.Single(ItemData.Parse(_page), r => r.Id == id);

    [GeneratedRegex("<b>[0-9.]+%</b>")]
    private static partial Regex BoldValue();

    [GeneratedRegex("<svg.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();
}

/// <summary>A metric over no scored item is absent (issue 7): the page shows a dash and the reason, never 0%.</summary>
public sealed class AbsentMetricTests
{
    [Fact]
    public void Absent_accuracy_shows_a_dash_and_the_reason_not_zero()
    {
        // Given: every item of the suite errored
        var run = SampleRuns.SmallRun();
        var suite = run.Suites["medqa"] with
        {
            Counts = new SuiteCounts(Items: 5, Scored: 0, Unparseable: 0, Errored: 5),
            Metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal)
            {
                ["accuracy"] = MetricValue.Absent(0, "Wilson 95% CI", MetricValue.NoScoredItems),
            },
            Breakdowns = new SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>>(StringComparer.Ordinal),
        };
        run = run with { Suites = new SortedDictionary<string, SuiteResult>(StringComparer.Ordinal) { ["medqa"] = suite } };

        // When
        string page = Render.Page(run, SampleRuns.SmallItems());

        // Then
        Assert.Contains("<b>—</b>", page, StringComparison.Ordinal);
        Assert.Contains("(no scored items, n = 0)", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>0.0%</b>", page, StringComparison.Ordinal);
    }
}
