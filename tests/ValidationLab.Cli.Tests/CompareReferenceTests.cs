using System.Globalization;
using System.Text.Json;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// Every field of comparison.json, read through `validationlab compare` on real run folders, against
/// tests/reference/compare_reference.json (computed by tests/reference/compare_reference.py with statsmodels,
/// scipy, scikit-learn and R pROC; see that script for the method behind each number).
/// </summary>
public sealed class CompareReferenceTests : IDisposable
{
    private const int Resamples = 10_000; // the Monte-Carlo tolerances in the reference are for this many

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly JsonElement Reference = LoadReference();

    private static JsonElement LoadReference()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "reference", "compare_reference.json")));
        return doc.RootElement.Clone();
    }

    private static JsonElement Case(string section, string name) =>
        Reference.GetProperty(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Theory]
    [InlineData("just_inside_margin")]
    [InlineData("just_outside_margin")]
    [InlineData("no_discordant_pairs")]
    [InlineData("small")]
    public async Task Should_Write_Every_Accuracy_Field_As_The_Reference_Computes_It(string name)
    {
        // Given: two replayed runs whose paired table is the reference case
        var expected = Case("accuracy", name);
        var (baseline, candidate) = CompareRuns.Table(I(expected, "a"), I(expected, "b"), I(expected, "c"), I(expected, "d"));
        var data = CompareRuns.WriteQuestions(_dir, "questions.jsonl", baseline.Length);
        var baseRun = await CompareRuns.RunAsync(_dir, "baseline", data, baseline);
        var candRun = await CompareRuns.RunAsync(_dir, "candidate", data, candidate);

        // When
        var (cli, json) = await CompareRuns.CompareAsync(_dir, baseRun, candRun, "--resamples", Resamples.ToString(CultureInfo.InvariantCulture), "--seed", "7");

        // Then
        Assert.Equal(0.02, json.GetProperty("margin").GetDouble());
        Assert.Equal(7, json.GetProperty("seed").GetInt32());
        // Without discordant pairs both runs gave the same response to every item: compare says so, and still compares.
        var identical = I(expected, "b") + I(expected, "c") == 0;
        Assert.Equal(identical, json.GetProperty("same_run").GetBoolean());
        Assert.Empty(json.GetProperty("data_differences").EnumerateArray());
        Assert.Equal(identical ? 1 : 0, json.GetProperty("warnings").GetArrayLength());
        Assert.Equal(identical, cli.Stdout.Contains("identical responses to every item", StringComparison.Ordinal));
        Assert.Empty(json.GetProperty("unpaired").EnumerateArray());
        Assert.Null(json.GetProperty("baseline").GetProperty("limit").GetString());
        var suite = json.GetProperty("suites").GetProperty("medqa");
        CheckAccuracySuite(expected, suite, medqaBreakdown: true);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"medqa: paired {I(expected, "n")}, only in baseline 0, only in candidate 0, mismatched 0"), cli.Stdout, StringComparison.Ordinal);
    }

    [RealDataFact]
    public async Task Should_Compare_Gpt4o_With_Gpt4o_Mini_On_Every_Field_As_The_Reference()
    {
        // Given: the real MedQA test split replayed for both models
        var expected = Case("accuracy", "medqa_gpt4o_vs_gpt4o_mini");
        var data = Path.Combine(RepoPaths.SharedData, "medqa", "test.jsonl");
        var predictions = Path.Combine(RepoPaths.SharedData, "medqa", "predictions", "medqa_test_zero_shot_predictions_long.csv");
        async Task<string> Replay(string model)
        {
            var outDir = _dir.Combine(model);
            var r = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", data, "--predictions", predictions,
                "--runner-option", "id_column=realidx", "--runner-option", "response_column=predicted_answer",
                "--runner-option", $"filter.model={model}", "--out", outDir);
            Assert.True(r.ExitCode == 0, r.ToString());
            return outDir;
        }

        var baseRun = await Replay(expected.GetProperty("baseline_model").GetString()!);
        var candRun = await Replay(expected.GetProperty("candidate_model").GetString()!);

        // When
        var (_, json) = await CompareRuns.CompareAsync(_dir, baseRun, candRun, "--resamples", Resamples.ToString(CultureInfo.InvariantCulture));

        // Then
        Assert.Empty(json.GetProperty("data_differences").EnumerateArray());
        CheckAccuracySuite(expected, json.GetProperty("suites").GetProperty("medqa"), medqaBreakdown: false);
    }

    private static void CheckAccuracySuite(JsonElement expected, JsonElement suite, bool medqaBreakdown)
    {
        var n = I(expected, "n");
        Assert.Equal("accuracy", suite.GetProperty("kind").GetString());
        Assert.Equal(n, suite.GetProperty("paired_items").GetInt32());
        Assert.Equal(0, suite.GetProperty("excluded_errored").GetInt32());
        Assert.Equal(0, suite.GetProperty("only_in_baseline").GetInt32());
        Assert.Equal(0, suite.GetProperty("only_in_candidate").GetInt32());
        Assert.Equal(0, suite.GetProperty("mismatched").GetInt32());
        Assert.Equal(JsonValueKind.Null, suite.GetProperty("risk").ValueKind);
        CheckAccuracy(expected, suite.GetProperty("metrics").GetProperty("accuracy"));
        if (medqaBreakdown)
        {
            // every generated question is step1: the breakdown is the whole table again
            CheckAccuracy(expected, suite.GetProperty("breakdowns").GetProperty("meta_info").GetProperty("step1").GetProperty("accuracy"));
        }

        Assert.Equal(I(expected, "c"), suite.GetProperty("regressions").GetArrayLength());
        Assert.Equal(I(expected, "b"), suite.GetProperty("improvements").GetArrayLength());

        var ni = expected.GetProperty("non_inferiority");
        var actual = suite.GetProperty("non_inferiority");
        Assert.Equal("non-inferiority", actual.GetProperty("hypothesis").GetString());
        Assert.Equal(0.02, actual.GetProperty("margin").GetDouble());
        Close(ni, "difference", actual, "difference", 1e-12);
        Close(ni, "bound", actual, "bound", 1e-9);
        Relative(D(ni, "p_value"), actual.GetProperty("p_value").GetDouble(), 1e-7);
        Assert.Equal(D(ni, "alpha"), actual.GetProperty("alpha").GetDouble());
        var passed = ni.GetProperty("passed").GetBoolean();
        Assert.Equal(passed, actual.GetProperty("passed").GetBoolean());
        Assert.Equal("Tango score test, one-sided alpha 2.5%", actual.GetProperty("method").GetString());
        Assert.StartsWith(passed ? "non-inferior:" : "not shown non-inferior:", actual.GetProperty("verdict").GetString(), StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"lower bound {D(ni, "bound") * 100:0.##} points"), actual.GetProperty("verdict").GetString(), StringComparison.Ordinal);

        var power = suite.GetProperty("power");
        if (expected.GetProperty("power").ValueKind == JsonValueKind.Null)
        {
            Assert.Equal(JsonValueKind.Null, power.ValueKind);
        }
        else
        {
            var p = expected.GetProperty("power");
            Close(p, "minimum_detectable_difference", power, "minimum_detectable_difference", 1e-10);
            Close(p, "discordant_proportion", power, "discordant_proportion", 1e-15);
            Assert.Equal(0.05, power.GetProperty("alpha").GetDouble());
            Assert.Equal(0.8, power.GetProperty("power").GetDouble());
            Assert.Equal(p.GetProperty("margin_detectable").GetBoolean(), power.GetProperty("margin_detectable").GetBoolean());
            Assert.Equal("McNemar, Connor (1987)", power.GetProperty("method").GetString());
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"differences of {D(p, "minimum_detectable_difference") * 100:0.#} points"), power.GetProperty("statement").GetString(), StringComparison.Ordinal);
        }
    }

    private static void CheckAccuracy(JsonElement expected, JsonElement accuracy)
    {
        var n = I(expected, "n");
        Metric(expected.GetProperty("baseline"), accuracy.GetProperty("baseline"), n, "Wilson 95% CI", "proportion");
        Metric(expected.GetProperty("candidate"), accuracy.GetProperty("candidate"), n, "Wilson 95% CI", "proportion");
        Metric(expected.GetProperty("difference"), accuracy.GetProperty("difference"), n, "Newcombe paired (method 10) 95% CI", "difference");

        var boot = expected.GetProperty("bootstrap_difference");
        var actualBoot = accuracy.GetProperty("bootstrap_difference");
        Close(boot, "value", actualBoot, "value", 1e-12);
        var tolerance = D(boot, "mc_tolerance");
        Close(boot, "ci_low", actualBoot, "ci_low", tolerance);
        Close(boot, "ci_high", actualBoot, "ci_high", tolerance);
        Assert.Equal(n, actualBoot.GetProperty("n").GetInt32());
        Assert.Equal("difference", actualBoot.GetProperty("kind").GetString());
        Assert.Contains("bootstrap 95% CI (10000 resamples", actualBoot.GetProperty("method").GetString(), StringComparison.Ordinal);

        Assert.Equal(I(expected, "improvements"), accuracy.GetProperty("improvements").GetInt32());
        Assert.Equal(I(expected, "regressions"), accuracy.GetProperty("regressions").GetInt32());
        var test = accuracy.GetProperty("test");
        Assert.Equal("McNemar exact", test.GetProperty("method").GetString());
        Assert.Equal(D(expected, "exact_statistic"), test.GetProperty("statistic").GetDouble());
        Relative(D(expected, "exact_p"), test.GetProperty("p_value").GetDouble(), 1e-9);
        var midP = accuracy.GetProperty("mid_p");
        Assert.Equal("McNemar mid-p", midP.GetProperty("method").GetString());
        Assert.Equal(D(expected, "exact_statistic"), midP.GetProperty("statistic").GetDouble());
        Relative(D(expected, "mid_p"), midP.GetProperty("p_value").GetDouble(), 1e-9);
    }

    [Theory]
    [InlineData("risk_candidate_better")]
    [InlineData("risk_candidate_worse")]
    public async Task Should_Write_Every_Risk_Field_As_The_Reference_Computes_It(string name)
    {
        // Given: two risk models scoring the same decision points of the same patients
        var expected = Case("risk", name);
        var clusters = expected.GetProperty("cluster_ids").EnumerateArray().Select(c => c.GetString()!).ToList();
        var labels = expected.GetProperty("labels").EnumerateArray().Select(l => l.GetInt32() == 1).ToList();
        var baseScores = expected.GetProperty("baseline_scores").EnumerateArray().Select(s => s.GetDouble()).ToList();
        var candScores = expected.GetProperty("candidate_scores").EnumerateArray().Select(s => s.GetDouble()).ToList();
        var baseRun = await CompareRuns.WriteRiskRunAsync(_dir, "production", "news2", clusters, labels, baseScores);
        var candRun = await CompareRuns.WriteRiskRunAsync(_dir, "candidate", "llm", clusters, labels, candScores);

        // When
        var (cli, json) = await CompareRuns.CompareAsync(_dir, baseRun, candRun, "--resamples", Resamples.ToString(CultureInfo.InvariantCulture), "--seed", "3");

        // Then
        var suite = json.GetProperty("suites").GetProperty("deterioration");
        var n = I(expected, "n");
        var k = I(expected, "clusters");
        Assert.Equal("risk", suite.GetProperty("kind").GetString());
        Assert.Equal(n, suite.GetProperty("paired_items").GetInt32());
        Assert.Equal(0, suite.GetProperty("excluded_errored").GetInt32());
        Assert.Equal(0, suite.GetProperty("mismatched").GetInt32());
        Assert.Empty(suite.GetProperty("metrics").EnumerateObject());
        Assert.Equal(JsonValueKind.Null, suite.GetProperty("power").ValueKind);
        var risk = suite.GetProperty("risk");
        Assert.Equal(I(expected, "positives"), risk.GetProperty("positives").GetInt32());
        Assert.Equal(I(expected, "negatives"), risk.GetProperty("negatives").GetInt32());
        Assert.Equal(k, risk.GetProperty("clusters").GetInt32());

        var auroc = expected.GetProperty("auroc");
        var actualAuroc = risk.GetProperty("auroc");
        Metric(auroc.GetProperty("baseline"), actualAuroc.GetProperty("baseline"), n, "DeLong 95% CI", "auroc", k);
        Metric(auroc.GetProperty("candidate"), actualAuroc.GetProperty("candidate"), n, "DeLong 95% CI", "auroc", k);
        Metric(auroc.GetProperty("difference"), actualAuroc.GetProperty("difference"), n, "DeLong paired 95% CI", "difference", k);
        var test = actualAuroc.GetProperty("test");
        Assert.Equal("DeLong paired test", test.GetProperty("method").GetString());
        Close(auroc, "z", test, "statistic", 1e-9);
        Relative(D(auroc, "p_value"), test.GetProperty("p_value").GetDouble(), 1e-7);
        Bootstrapped(auroc.GetProperty("bootstrap_difference"), actualAuroc.GetProperty("bootstrap_difference"), n, k, "Paired Cluster percentile bootstrap");

        var brier = expected.GetProperty("brier");
        var actualBrier = risk.GetProperty("brier");
        Bootstrapped(brier.GetProperty("baseline"), actualBrier.GetProperty("baseline"), n, k, "Cluster percentile bootstrap", "score");
        Bootstrapped(brier.GetProperty("candidate"), actualBrier.GetProperty("candidate"), n, k, "Cluster percentile bootstrap", "score");
        Bootstrapped(brier.GetProperty("difference"), actualBrier.GetProperty("difference"), n, k, "Paired Cluster percentile bootstrap");
        Bootstrapped(brier.GetProperty("difference"), actualBrier.GetProperty("bootstrap_difference"), n, k, "Paired Cluster percentile bootstrap");
        Assert.Equal(JsonValueKind.Null, actualBrier.GetProperty("test").ValueKind);

        var ni = expected.GetProperty("non_inferiority");
        var actual = suite.GetProperty("non_inferiority");
        Assert.Equal("non-inferiority", actual.GetProperty("hypothesis").GetString());
        Assert.Equal(0.02, actual.GetProperty("margin").GetDouble());
        Close(ni, "difference", actual, "difference", 1e-12);
        Close(ni, "bound", actual, "bound", 1e-9);
        Relative(D(ni, "p_value"), actual.GetProperty("p_value").GetDouble(), 1e-6);
        Assert.Equal(0.025, actual.GetProperty("alpha").GetDouble());
        var passed = ni.GetProperty("passed").GetBoolean();
        Assert.Equal(passed, actual.GetProperty("passed").GetBoolean());
        Assert.StartsWith(passed ? "non-inferior:" : "not shown non-inferior:", actual.GetProperty("verdict").GetString(), StringComparison.Ordinal);
        Assert.Contains("AUROC", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains(passed ? "non-inferior:" : "not shown non-inferior:", cli.Stdout, StringComparison.Ordinal);
    }

    /// <summary>[value, ci_low, ci_high] from the reference against a metric object; closed-form methods, tight tolerance.</summary>
    private static void Metric(JsonElement expected, JsonElement actual, int n, string method, string kind, int? clusters = null)
    {
        Assert.Equal(expected[0].GetDouble(), actual.GetProperty("value").GetDouble(), 1e-12);
        Assert.Equal(expected[1].GetDouble(), actual.GetProperty("ci_low").GetDouble(), 1e-10);
        Assert.Equal(expected[2].GetDouble(), actual.GetProperty("ci_high").GetDouble(), 1e-10);
        Assert.Equal(n, actual.GetProperty("n").GetInt32());
        Assert.Equal(method, actual.GetProperty("method").GetString());
        Assert.Equal(kind, actual.GetProperty("kind").GetString());
        if (clusters is { } k)
        {
            Assert.Equal(k, actual.GetProperty("clusters").GetInt32());
        }
    }

    /// <summary>A bootstrap interval: exact point value, limits within the reference's Monte-Carlo tolerance.</summary>
    private static void Bootstrapped(JsonElement expected, JsonElement actual, int n, int clusters, string method, string kind = "difference")
    {
        Close(expected, "value", actual, "value", 1e-12);
        var tolerance = D(expected, "mc_tolerance");
        Close(expected, "ci_low", actual, "ci_low", tolerance);
        Close(expected, "ci_high", actual, "ci_high", tolerance);
        Assert.Equal(n, actual.GetProperty("n").GetInt32());
        Assert.Equal(clusters, actual.GetProperty("clusters").GetInt32());
        Assert.Equal(kind, actual.GetProperty("kind").GetString());
        Assert.StartsWith(method, actual.GetProperty("method").GetString(), StringComparison.Ordinal);
    }

    private static void Close(JsonElement expected, string expectedField, JsonElement actual, string actualField, double tolerance)
    {
        var e = expected.GetProperty(expectedField).GetDouble();
        var a = actual.GetProperty(actualField).GetDouble();
        Assert.True(Math.Abs(e - a) <= tolerance, $"{actualField}: {a:R}, reference {e:R} (tolerance {tolerance:R})");
    }

    private static void Relative(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(Math.Abs(expected), 1e-300), $"{actual:R}, reference {expected:R} (relative tolerance {tolerance})");

    private static int I(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    private static double D(JsonElement e, string name) => e.GetProperty(name).GetDouble();
}
