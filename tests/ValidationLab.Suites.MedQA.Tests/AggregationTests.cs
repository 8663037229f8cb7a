using ValidationLab.Results;

namespace ValidationLab.Suites.MedQA.Tests;

public sealed class AggregationTests
{
    private static ItemResult Result(string id, ItemStatus status, string gold, string? prediction, string meta = "step1") => new()
    {
        Suite = "medqa",
        ItemId = id,
        Status = status,
        Gold = gold,
        Prediction = prediction,
        Correct = status == ItemStatus.Errored ? null : prediction == gold,
        Explanation = "test",
        Strata = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["meta_info"] = meta },
    };

    // 10 items: 6 scored (4 right), 2 unparseable, 2 errored (one of which would have been "right" by gold).
    private static readonly ItemResult[] Results =
    [
        Result("0", ItemStatus.Scored, "A", "A"),
        Result("1", ItemStatus.Scored, "B", "B"),
        Result("2", ItemStatus.Scored, "C", "C", "step2&3"),
        Result("3", ItemStatus.Scored, "D", "D", "step2&3"),
        Result("4", ItemStatus.Scored, "A", "C"),
        Result("5", ItemStatus.Scored, "B", "C", "step2&3"),
        Result("6", ItemStatus.Unparseable, "A", null),
        Result("7", ItemStatus.Unparseable, "C", null, "step2&3"),
        Result("8", ItemStatus.Errored, "A", null),
        Result("9", ItemStatus.Errored, "B", null, "step2&3"),
    ];

    private static SuiteResult Aggregate() => Suites.Create(RepoPaths.Fixture("medqa-fixture.jsonl")).Aggregate(Results);

    [Fact]
    public void Should_Compute_Accuracy_Over_Answered_Items_With_Wilson_Interval()
    {
        // Given / When
        var result = Aggregate();

        // Then: 4 correct of 8 answered; Wilson 95% for 4/8 is [0.2152, 0.7848]
        var accuracy = result.Metrics["accuracy"];
        Assert.Equal(0.5, accuracy.Value);
        Assert.Equal(8, accuracy.N);
        Assert.Equal(0.2152, accuracy.CiLow!.Value, 4);
        Assert.Equal(0.7848, accuracy.CiHigh!.Value, 4);
        Assert.Equal("Wilson 95% CI", accuracy.Method);
    }

    [Fact]
    public void Should_Report_Unparseable_And_Errored_Separately()
    {
        // Given / When
        var result = Aggregate();

        // Then
        Assert.Equal(new SuiteCounts(10, 6, 2, 2), result.Counts);
        Assert.Equal((0.25, 8), (result.Metrics["unparseable_rate"].Value, result.Metrics["unparseable_rate"].N));
        Assert.NotNull(result.Metrics["unparseable_rate"].CiLow);
        Assert.Equal(new MetricValue(2, null, null, 10, "count") { Kind = MetricKind.Count }, result.Metrics["errored"]);
        Assert.Equal(new MetricValue(10, null, null, 10, "count") { Kind = MetricKind.Count }, result.Metrics["n_items"]);
        Assert.Equal("medqa", result.Suite);
        Assert.Equal("generate", result.Mode);
    }

    [Fact]
    public void Should_Break_Accuracy_Down_By_Meta_Info()
    {
        // Given / When
        var byMeta = Aggregate().Breakdowns["meta_info"];

        // Then: step1 answered 0,1,4,6 -> 2/4; step2&3 answered 2,3,5,7 -> 2/4
        Assert.Equal(["step1", "step2&3"], byMeta.Keys);
        Assert.Equal((0.5, 4), (byMeta["step1"]["accuracy"].Value, byMeta["step1"]["accuracy"].N));
        Assert.Equal((0.5, 4), (byMeta["step2&3"]["accuracy"].Value, byMeta["step2&3"]["accuracy"].N));
    }

    [Fact]
    public void Should_Line_Up_Predicted_And_Gold_Letter_Distributions()
    {
        // Given / When
        var distributions = Aggregate().Distributions;

        // Then: predictions over the 6 scored; gold over the 8 answered; every letter present in both
        Assert.Equal(["gold_letter", "predicted_letter"], distributions.Keys);
        Assert.Equal(new Dictionary<string, int> { ["A"] = 1, ["B"] = 1, ["C"] = 3, ["D"] = 1 }, distributions["predicted_letter"]);
        Assert.Equal(new Dictionary<string, int> { ["A"] = 3, ["B"] = 2, ["C"] = 2, ["D"] = 1 }, distributions["gold_letter"]);
    }

    [Fact]
    public void Should_Include_Zero_Count_Letters()
    {
        // Given: nobody predicts or has gold D
        ItemResult[] results = [Result("0", ItemStatus.Scored, "A", "A"), Result("1", ItemStatus.Scored, "B", "A")];

        // When
        var distributions = Suites.Create(RepoPaths.Fixture("medqa-fixture.jsonl")).Aggregate(results).Distributions;

        // Then
        Assert.Equal(["A", "B", "C", "D"], distributions["predicted_letter"].Keys);
        Assert.Equal(0, distributions["predicted_letter"]["D"]);
        Assert.Equal(0, distributions["gold_letter"]["C"]);
    }

    [Fact]
    public void Should_Report_Accuracy_As_Absent_Not_Zero_When_Everything_Errored()
    {
        // Given: issue 7 — a metric over n = 0 was written as 0 with interval 0–1
        ItemResult[] results = [Result("0", ItemStatus.Errored, "A", null)];

        // When
        var metrics = Suites.Create(RepoPaths.Fixture("medqa-fixture.jsonl")).Aggregate(results).Metrics;

        // Then: no value, no interval, and the reason; counts are still counts
        Assert.Equal(MetricValue.Absent(0, "Wilson 95% CI", "no scored items"), metrics["accuracy"]);
        Assert.Null(metrics["unparseable_rate"].Value);
        Assert.Equal("no scored items", metrics["unparseable_rate"].AbsentReason);
        Assert.Equal(1.0, metrics["errored"].Value);
    }

    [Fact]
    public void Should_Explain_The_Numbers_In_Notes()
    {
        // Given / When
        var notes = Aggregate().Notes;

        // Then
        Assert.Contains(notes, n => n.Contains("2 item(s) errored", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("Accuracy is over the 8 items that got an answer; the 2 whose letter could not be read", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("Mode generate", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("Zero-shot", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Aggregate_Every_Subset_Of_A_Prepared_Run_Exactly_As_The_Subset_Itself()
    {
        // Given: the ten items above plus the edge cases of the counting pass: no meta_info (with others that have
        // one), a letter past D, a lower-case and a two-letter prediction, a meta_info value spelled "(missing)"
        ItemResult[] results =
        [
            .. Results,
            Result("10", ItemStatus.Scored, "F", "F") with { Strata = new SortedDictionary<string, string>(StringComparer.Ordinal) },
            Result("11", ItemStatus.Scored, "A", "c", "(missing)"),
            Result("12", ItemStatus.Scored, "B", "AB") with { Strata = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["sex"] = "female" } },
        ];
        var suite = Suites.Create(RepoPaths.Fixture("medqa-fixture.jsonl"));
        var prepared = Assert.IsAssignableFrom<ISubsetAggregator>(suite).Prepare(results);

        // When / Then: all 2^13 subsets, as JSON (the result's dictionaries compare by reference otherwise)
        for (var mask = 0; mask < 1 << results.Length; mask++)
        {
            var indices = Enumerable.Range(0, results.Length).Where(i => (mask & (1 << i)) != 0).ToArray();
            var expected = System.Text.Json.JsonSerializer.Serialize(suite.Aggregate(indices.Select(i => results[i]).ToList()));
            Assert.Equal(expected, System.Text.Json.JsonSerializer.Serialize(prepared.Aggregate(indices)));
        }
    }
}
