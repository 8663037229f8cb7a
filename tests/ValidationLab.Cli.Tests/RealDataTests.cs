using System.Text.Json;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// The published MedQA test split with recorded zero-shot predictions (../shared/data/medqa). Expected numbers come
/// from tests/reference/statistics_reference.json, computed by the statistics engineer with pandas and statsmodels
/// from the same predictions file (its `correct` column, independently of our answer extraction).
/// </summary>
public sealed class RealDataTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Data => Path.Combine(RepoPaths.SharedData, "medqa", "test.jsonl");

    private static string Predictions => Path.Combine(RepoPaths.SharedData, "medqa", "predictions", "medqa_test_zero_shot_predictions_long.csv");

    private static Task<CliResult> Replay(string model, string outDir) => CliRunner.RunAsync(
        "run", "--suite", "medqa", "--data", Data, "--predictions", Predictions,
        "--runner-option", "id_column=realidx", "--runner-option", "response_column=predicted_answer",
        "--runner-option", $"filter.model={model}", "--out", outDir);

    private static JsonElement Reference()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "reference", "statistics_reference.json")));
        return doc.RootElement.GetProperty("medqa").Clone();
    }

    [RealDataFact("medqa/test.jsonl", "medqa/predictions/medqa_test_zero_shot_predictions_long.csv")]
    public async Task Should_Score_Gpt4o_At_1118_Of_1273()
    {
        // Given
        var outDir = _dir.Combine("gpt-4o");

        // When
        var result = await Replay("gpt-4o", outDir);

        // Then
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var accuracy = json.RootElement.GetProperty("suites").GetProperty("medqa").GetProperty("metrics").GetProperty("accuracy");
        Assert.Equal(1273, accuracy.GetProperty("n").GetInt32());
        Assert.Equal(1118.0 / 1273, accuracy.GetProperty("value").GetDouble(), 14);
        Assert.Equal(Reference().GetProperty("accuracy_first").GetDouble(), accuracy.GetProperty("value").GetDouble(), 14);
    }

    [RealDataFact("medqa/test.jsonl", "medqa/predictions/medqa_test_zero_shot_predictions_long.csv")]
    public async Task Should_Compare_Gpt4o_Mini_With_Gpt4o_As_Statsmodels_Does()
    {
        // Given: reference table rows = gpt-4o right/wrong, columns = gpt-4o-mini right/wrong
        var reference = Reference();
        Assert.Equal("gpt-4o", reference.GetProperty("first").GetString());
        Assert.Equal("gpt-4o-mini", reference.GetProperty("second").GetString());
        var table = reference.GetProperty("table");
        var candidateOnly = table[0][1].GetInt32();
        var baselineOnly = table[1][0].GetInt32();
        var mini = _dir.Combine("mini");
        var large = _dir.Combine("large");
        var cmp = _dir.Combine("cmp");
        Assert.Equal(0, (await Replay("gpt-4o-mini", mini)).ExitCode);
        Assert.Equal(0, (await Replay("gpt-4o", large)).ExitCode);

        // When
        var result = await CliRunner.RunAsync("compare", "--baseline", mini, "--candidate", large, "--resamples", "1000", "--out", cmp);

        // Then
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(cmp, "comparison.json")));
        var suite = json.RootElement.GetProperty("suites").GetProperty("medqa");
        Assert.Equal(1273, suite.GetProperty("paired_items").GetInt32());
        var accuracy = suite.GetProperty("metrics").GetProperty("accuracy");
        Assert.Equal(candidateOnly, accuracy.GetProperty("improvements").GetInt32());
        Assert.Equal(baselineOnly, accuracy.GetProperty("regressions").GetInt32());
        Assert.Equal(baselineOnly, suite.GetProperty("regressions").GetArrayLength());
        Assert.Equal(candidateOnly, suite.GetProperty("improvements").GetArrayLength());
        var test = accuracy.GetProperty("test");
        Assert.Equal("McNemar exact", test.GetProperty("method").GetString());
        Assert.Equal(reference.GetProperty("exact_statistic").GetDouble(), test.GetProperty("statistic").GetDouble());
        var expectedP = reference.GetProperty("exact_p").GetDouble();
        var actualP = test.GetProperty("p_value").GetDouble();
        Assert.True(Math.Abs(actualP - expectedP) <= 1e-9 * expectedP, $"McNemar exact p {actualP:R}, statsmodels {expectedP:R}");
        Assert.True(accuracy.GetProperty("difference").GetProperty("value").GetDouble() > 0, "candidate minus baseline should be positive");
    }
}
