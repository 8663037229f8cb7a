using System.Text.Json;
using ValidationLab.Analysis.Slicing;
using ValidationLab.Results;
using ValidationLab.Results.Slices;

namespace ValidationLab.Core.Tests.Analysis;

/// <summary>
/// The slicing stage against values computed outside the project (tests/reference/slices_reference.py: statsmodels
/// proportions_ztest and multipletests, scipy fisher_exact, scikit-learn roc_auc_score, R pROC roc.test unpaired
/// DeLong) on handmade items committed with those values.
/// </summary>
public sealed class SliceAnalyzerReferenceTests
{
    private static readonly Lazy<JsonElement> Reference = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ValidationLab.Testing.TestRepository.Root, "tests", "reference", "slices_reference.json"))).RootElement);

    private static SliceSettings Settings(SliceCorrection correction) => new()
    {
        Families = [new(["sex"]), new(["age_band"]), new(["sex", "age_band"]), new(["insurance"])],
        Correction = correction,
        MinCell = Reference.Value.GetProperty("min_cell").GetInt32(),
        AlertThreshold = Reference.Value.GetProperty("threshold").GetDouble(),
    };

    private static SliceReport Analyze(SliceCorrection correction)
    {
        var r = Reference.Value;
        var accuracy = r.GetProperty("accuracy_items").EnumerateArray().Select(i => SliceTestSuite.Item(
            "handmade", i.GetProperty("id").GetString()!, i.GetProperty("correct").GetBoolean(),
            Strata(("sex", i.GetProperty("sex").GetString()!), ("age_band", i.GetProperty("age_band").GetString()!)))).ToList();
        var risk = r.GetProperty("risk_items").EnumerateArray().Select(i => SliceTestSuite.Item(
            "risk", i.GetProperty("id").GetString()!, null, Strata(("insurance", i.GetProperty("insurance").GetString()!)),
            i.GetProperty("score").GetDouble(), i.GetProperty("label").GetBoolean())).ToList();
        var handmadeSuite = new SliceTestSuite("handmade");
        var riskSuite = new SliceTestSuite("risk");
        return SliceAnalyzer.Analyze(
            Settings(correction),
            [new SliceInput(handmadeSuite, accuracy, handmadeSuite.Aggregate(accuracy)), new SliceInput(riskSuite, risk, riskSuite.Aggregate(risk))],
            seed: 7);
    }

    private static SortedDictionary<string, string> Strata(params (string Key, string Value)[] pairs) =>
        new(pairs.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);

    [Fact]
    public void Should_Match_Statsmodels_And_Scipy_For_Every_Accuracy_Slice()
    {
        // Given / When
        var report = Analyze(SliceCorrection.Holm);

        // Then
        var families = report.Suites["handmade"].Families;
        foreach (var row in Reference.Value.GetProperty("accuracy_slices").EnumerateArray())
        {
            var group = families[row.GetProperty("family").GetString()!].Groups[row.GetProperty("group").GetString()!];
            Assert.Equal(row.GetProperty("suppressed").GetBoolean(), group.Suppressed);
            if (group.Suppressed)
            {
                Assert.Equal("< 20", group.Size);
                Assert.Null(group.N);
                Assert.Empty(group.Metrics);
                continue;
            }

            Assert.Equal(row.GetProperty("n").GetInt32(), group.N);
            Assert.Equal(row.GetProperty("reference").GetBoolean(), group.IsReference);
            var accuracy = group.Metrics["accuracy"];
            Assert.Equal(row.GetProperty("successes").GetInt32() / (double)row.GetProperty("n").GetInt32(), accuracy.Metric.Value!.Value, 12);
            if (group.IsReference)
            {
                Assert.Null(accuracy.Test);
                continue;
            }

            var test = accuracy.Test!;
            Assert.StartsWith(row.GetProperty("test").GetString() == "fisher" ? "Fisher exact" : "Two-proportion z", test.Method, StringComparison.Ordinal);
            Assert.Equal(row.GetProperty("p").GetDouble(), test.PValue, 9);
            if (row.GetProperty("statistic").ValueKind == JsonValueKind.Number)
            {
                Assert.Equal(row.GetProperty("statistic").GetDouble(), test.Statistic, 9);
            }
            else
            {
                Assert.Equal(double.PositiveInfinity, test.Statistic);
            }

            Assert.Equal(row.GetProperty("difference").GetDouble(), accuracy.Difference!.Value, 12);
            Assert.NotNull(accuracy.MinimumDetectableDifference);
        }
    }

    [Fact]
    public void Should_Match_Sklearn_And_Proc_For_Every_Auroc_Slice()
    {
        // Given / When
        var report = Analyze(SliceCorrection.Holm);

        // Then
        var family = report.Suites["risk"].Families["insurance"];
        Assert.Equal("Medicare", family.ReferenceGroup);
        foreach (var row in Reference.Value.GetProperty("risk_slices").EnumerateArray())
        {
            var group = family.Groups[row.GetProperty("group").GetString()!];
            Assert.Equal(row.GetProperty("suppressed").GetBoolean(), group.Suppressed);
            if (group.Suppressed)
            {
                Assert.Null(group.Fairness);
                continue;
            }

            var auroc = group.Metrics["auroc"];
            Assert.Equal(row.GetProperty("auc").GetDouble(), auroc.Metric.Value!.Value, 12);
            Assert.Equal(row.GetProperty("tpr").GetDouble(), group.Fairness!.Tpr!.Value, 12);
            Assert.Equal(row.GetProperty("fpr").GetDouble(), group.Fairness.Fpr!.Value, 12);
            Assert.Equal(row.GetProperty("alert_rate").GetDouble(), group.Fairness.AlertRate, 12);
            Assert.Equal(row.GetProperty("calibration_in_the_large").GetDouble(), group.Fairness.CalibrationInTheLarge, 9);
            if (!group.IsReference)
            {
                Assert.StartsWith("DeLong (unpaired", auroc.Test!.Method, StringComparison.Ordinal);
                Assert.Equal(row.GetProperty("delong_z").GetDouble(), auroc.Test.Statistic, 9);
                Assert.Equal(row.GetProperty("delong_p").GetDouble(), auroc.Test.PValue, 9);
                var reference = Reference.Value.GetProperty("risk_slices").EnumerateArray().Single(x => x.GetProperty("reference").GetBoolean());
                Assert.Equal(row.GetProperty("tpr").GetDouble() - reference.GetProperty("tpr").GetDouble(), group.Fairness.TprDifference!.Value, 12);
                Assert.Equal(row.GetProperty("fpr").GetDouble() - reference.GetProperty("fpr").GetDouble(), group.Fairness.FprDifference!.Value, 12);
                Assert.Equal(row.GetProperty("alert_rate").GetDouble() / reference.GetProperty("alert_rate").GetDouble(), group.Fairness.AlertRateRatio!.Value, 12);
            }
        }
    }

    [Theory]
    [InlineData(SliceCorrection.Holm, "holm")]
    [InlineData(SliceCorrection.BenjaminiHochberg, "bh")]
    public void Should_Adjust_Every_Slice_Test_Of_The_Run_As_Statsmodels_Multipletests(SliceCorrection correction, string key)
    {
        // Given / When
        var report = Analyze(correction);

        // Then: one family of tests over both suites, each adjusted p as statsmodels gives it
        var expected = Reference.Value.GetProperty(key).EnumerateObject().ToList();
        Assert.Equal(expected.Count, report.Tests);
        foreach (var e in expected)
        {
            var parts = e.Name.Split('|');
            var test = report.Suites[parts[0]].Families[parts[1]].Groups[parts[2]].Metrics[parts[3]].Test!;
            Assert.Equal(e.Value.GetDouble(), test.AdjustedP, 9);
            Assert.Equal(e.Value.GetDouble() < 0.05, test.Significant);
        }
    }

    [Fact]
    public void Should_Expose_The_Largest_Gap_And_Its_Adjusted_P_As_Gate_Inputs()
    {
        // Given / When
        var gaps = Analyze(SliceCorrection.Holm).Suites["handmade"].Gaps;

        // Then: male 65+ (12/25) against female 18-44 (48/60): -32 points, Holm-adjusted p from statsmodels
        var holm = Reference.Value.GetProperty("holm");
        var accuracy = gaps["accuracy"];
        Assert.Equal("sex x age_band: male, 65+", accuracy.LargestGapSlice);
        Assert.Equal(-0.32, accuracy.LargestGap!.Value, 12);
        Assert.Equal(holm.GetProperty("handmade|sex x age_band|male, 65+|accuracy").GetDouble(), accuracy.LargestGapAdjustedP!.Value, 9);
        Assert.Equal("sex x age_band: male, 65+", accuracy.LargestSignificantGapSlice);
        Assert.Equal(10, accuracy.Tested);
        Assert.False(gaps.ContainsKey("n_items"));
    }
}
