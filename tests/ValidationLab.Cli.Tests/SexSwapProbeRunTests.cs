using System.Text.Json;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// Issue 9: `--suite-option probe=sex_swap` end to end — the swapped requests go through the runner, the probe's
/// figures land in results.json, and the suite's accuracy and item files stay those of the original answers.
/// </summary>
public sealed class SexSwapProbeRunTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JsonElement Medqa(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json"))).RootElement.GetProperty("suites").GetProperty("medqa");

    private static double Metric(JsonElement medqa, string name) => medqa.GetProperty("metrics").GetProperty(name).GetProperty("value").GetDouble();

    [Fact]
    public async Task Should_Write_Probe_Figures_And_Keep_Accuracy_When_The_Baseline_Runs_With_The_Probe()
    {
        // Given
        var plain = _dir.Combine("plain");
        var probed = _dir.Combine("probed");

        // When
        var off = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--runner", "baseline", "--out", plain);
        var on = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--runner", "baseline",
            "--suite-option", "probe=sex_swap", "--out", probed);

        // Then
        Assert.True(off.ExitCode == 0, off.ToString());
        Assert.True(on.ExitCode == 0, on.ToString());
        var without = Medqa(plain);
        var with = Medqa(probed);
        Assert.Equal(without.GetProperty("metrics").GetProperty("accuracy").GetRawText(), with.GetProperty("metrics").GetProperty("accuracy").GetRawText());
        Assert.Equal(without.GetProperty("counts").GetRawText(), with.GetProperty("counts").GetRawText());
        Assert.Equal(File.ReadAllLines(Path.Combine(plain, "items.jsonl")).Length, File.ReadAllLines(Path.Combine(probed, "items.jsonl")).Length);

        // Every item is probed, errored for the probe, or skipped by a rule; the fixture has items of each of the first and last kind.
        var n = MedQaFiles.Questions.Count;
        var metrics = with.GetProperty("metrics").EnumerateObject().ToList();
        var skipped = metrics.Where(m => m.Name.StartsWith("probe_sex_swap_skipped_", StringComparison.Ordinal)).Sum(m => m.Value.GetProperty("value").GetDouble());
        var probedCount = Metric(with, "probe_sex_swap_probed");
        Assert.True(probedCount > 0 && skipped > 0, with.GetRawText());
        Assert.Equal(n, probedCount + Metric(with, "probe_sex_swap_errored") + skipped);
        var flip = with.GetProperty("metrics").GetProperty("probe_sex_swap_flip_rate");
        Assert.Equal("proportion", flip.GetProperty("kind").GetString(), ignoreCase: true);
        Assert.Equal((int)probedCount, flip.GetProperty("n").GetInt32());
        Assert.True(flip.GetProperty("ci_low").GetDouble() <= flip.GetProperty("value").GetDouble());
        Assert.InRange(Metric(with, "probe_sex_swap_mcnemar_p"), 0, 1);
        Assert.DoesNotContain(without.GetProperty("metrics").EnumerateObject(), m => m.Name.StartsWith("probe_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_Answer_Swapped_Requests_From_Predictions_Keyed_By_Item_Id_With_The_Sex_Swap_Suffix()
    {
        // Given: every original answered with gold, every swapped twin ("<id>#sex_swap") with a wrong letter
        var rows = new List<string> { "item_id,response" };
        foreach (var (id, gold, letters) in MedQaFiles.Questions)
        {
            rows.Add($"{id},The answer is ({gold}).");
            rows.Add($"{id}#sex_swap,The answer is ({letters.First(l => l != gold)}).");
        }

        var predictions = _dir.WriteLines("predictions.csv", rows);
        var folder = _dir.Combine("replayed");

        // When
        var result = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--predictions", predictions,
            "--suite-option", "probe=sex_swap", "--out", folder);

        // Then: accuracy is 1 (originals only); every probed item flipped from right to wrong
        Assert.True(result.ExitCode == 0, result.ToString());
        var medqa = Medqa(folder);
        Assert.Equal(1, Metric(medqa, "accuracy"));
        var probed = Metric(medqa, "probe_sex_swap_probed");
        Assert.True(probed > 0);
        Assert.Equal(0, Metric(medqa, "probe_sex_swap_errored"));
        Assert.Equal(1, Metric(medqa, "probe_sex_swap_flip_rate"));
        Assert.Equal(probed, Metric(medqa, "probe_sex_swap_mcnemar_b"));
        Assert.Equal(0, Metric(medqa, "probe_sex_swap_mcnemar_c"));
        Assert.Equal(probed, medqa.GetProperty("notes").EnumerateArray().Count(n => n.GetString()!.StartsWith("Sex-swap flip ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Should_Warn_That_Only_The_Probe_Loses_Items_When_Predictions_Lack_The_Swapped_Rows()
    {
        // Given: every original answered with gold, no '#sex_swap' row at all
        var rows = new List<string> { "item_id,response" };
        rows.AddRange(MedQaFiles.Questions.Select(q => $"{q.Id},The answer is ({q.Gold})."));
        var predictions = _dir.WriteLines("originals-only.csv", rows);
        var folder = _dir.Combine("originals-only");

        // When
        var result = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--predictions", predictions,
            "--suite-option", "probe=sex_swap", "--out", folder);

        // Then: no item errored; the warning says the probe lost its pairs, that the items' results stand, and what to do
        Assert.True(result.ExitCode == 0, result.ToString());
        var medqa = Medqa(folder);
        Assert.Equal(0, medqa.GetProperty("counts").GetProperty("errored").GetInt32());
        Assert.Equal(1, Metric(medqa, "accuracy"));
        var asked = medqa.GetProperty("probes").GetProperty("sex_swap").GetProperty("asked").GetInt32();
        Assert.True(asked > 0);
        Assert.Equal(asked, medqa.GetProperty("probes").GetProperty("sex_swap").GetProperty("errored").GetInt32());
        var warnings = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json"))).RootElement.GetProperty("warnings")
            .EnumerateArray().Select(w => w.GetString()!).ToList();
        var warning = Assert.Single(warnings, w => w.Contains("sex_swap", StringComparison.Ordinal));
        Assert.StartsWith($"{asked} item(s) asked again for the 'sex_swap' probe have no recorded answer to the changed prompt", warning, StringComparison.Ordinal);
        Assert.Contains("their own results come from their own rows and are unaffected", warning, StringComparison.Ordinal);
        Assert.Contains("add rows with item id '<item_id>#sex_swap'", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(warnings, w => w.Contains("have no recorded prediction", StringComparison.Ordinal));
    }
}
