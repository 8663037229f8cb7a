using System.Text.Json;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private static readonly string[] RunFiles = ["config.yaml", "items.csv", "items.jsonl", "report.html", "results.json", "trend.json"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Out => _dir.Combine("out");

    [Fact]
    public async Task Should_Run_The_Embedded_Default_And_Write_Every_File()
    {
        // Given / When
        var result = await CliRunner.RunAsync("run", "--out", Out);

        // Then
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(RunFiles, Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var medqaItems = File.ReadAllLines(Path.Combine(Out, "items.jsonl"))
            .Count(l => JsonDocument.Parse(l).RootElement.GetProperty("suite").GetString() == "medqa");
        Assert.Equal(MedQaFiles.FixtureLines.Count, medqaItems);
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "results.json")));
        var medqa = results.RootElement.GetProperty("suites").GetProperty("medqa");
        Assert.Equal(MedQaFiles.FixtureLines.Count, medqa.GetProperty("counts").GetProperty("items").GetInt32());
        Assert.Equal("baseline", results.RootElement.GetProperty("manifest").GetProperty("runner").GetProperty("runner").GetString());
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Should_Score_Replayed_Predictions_On_The_Fixture_Exactly()
    {
        // Given: the first question has no prediction, the second a garbage answer, 10 are wrong and the rest right
        var questions = MedQaFiles.Questions;
        var rows = new List<string> { "item_id,response" };
        for (var i = 1; i < questions.Count; i++)
        {
            var (id, gold, letters) = questions[i];
            var response = i == 1 ? "Unable to determine; more clinical history is needed."
                : i <= 11 ? $"The answer is ({letters.First(l => l != gold)})."
                : $"The answer is ({gold}).";
            rows.Add($"{id},{response}");
        }

        var predictions = _dir.WriteLines("predictions.csv", rows);

        // When
        var result = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--predictions", predictions, "--out", Out);

        // Then
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "results.json")));
        var medqa = json.RootElement.GetProperty("suites").GetProperty("medqa");
        var counts = medqa.GetProperty("counts");
        var n = questions.Count;
        Assert.Equal(n, counts.GetProperty("items").GetInt32());
        Assert.Equal(1, counts.GetProperty("unparseable").GetInt32());
        Assert.Equal(1, counts.GetProperty("errored").GetInt32());
        Assert.Equal(n - 2, counts.GetProperty("scored").GetInt32());
        var accuracy = medqa.GetProperty("metrics").GetProperty("accuracy");
        Assert.Equal(n - 1, accuracy.GetProperty("n").GetInt32());
        Assert.Equal((double)(n - 12) / (n - 1), accuracy.GetProperty("value").GetDouble(), 12);
        Assert.Equal(1, medqa.GetProperty("metrics").GetProperty("errored").GetProperty("value").GetDouble());
        Assert.Equal(1.0 / (n - 1), medqa.GetProperty("metrics").GetProperty("unparseable_rate").GetProperty("value").GetDouble(), 12);
        Assert.Contains(json.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains($"'{questions[0].Id}'", StringComparison.Ordinal));
        var first = JsonDocument.Parse(File.ReadLines(Path.Combine(Out, "items.jsonl")).First()).RootElement;
        Assert.Equal("errored", first.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("correct").ValueKind);
    }

    [Fact]
    public async Task Should_Write_Byte_Identical_Items_And_Suites_When_Run_Twice()
    {
        // Given
        var first = _dir.Combine("first");
        var second = _dir.Combine("second");
        string[] args = ["run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--runner", "baseline", "--runner-option", "model=random", "--seed", "11"];

        // When
        var a = await CliRunner.RunAsync([.. args, "--out", first]);
        var b = await CliRunner.RunAsync([.. args, "--out", second]);

        // Then
        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, $"{a}\n{b}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "items.jsonl")), File.ReadAllBytes(Path.Combine(second, "items.jsonl")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "items.csv")), File.ReadAllBytes(Path.Combine(second, "items.csv")));
        Assert.Equal(SuitesSection(first), SuitesSection(second));
        Assert.NotEqual(RunId(first), RunId(second));
    }

    [Fact]
    public async Task Should_Exit_3_And_Still_Write_Results_When_Max_Error_Rate_Is_Exceeded()
    {
        // Given: only one of the fixture's questions has a prediction
        var (id, gold, _) = MedQaFiles.Questions[0];
        var predictions = _dir.WriteLines("p.csv", ["item_id,response", $"{id},{gold}"]);

        // When
        var result = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--predictions", predictions, "--max-error-rate", "0.1", "--out", Out);

        // Then
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("max_error_rate", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Out, "results.json")));
    }

    [Fact]
    public async Task Should_Exit_3_And_Say_No_Item_Could_Be_Scored_When_Every_Item_Errored()
    {
        // Given: predictions for items the data does not have, so every item errors; no --max-error-rate
        var predictions = _dir.WriteLines("p.csv", ["item_id,response", "no-such-item,A"]);

        // When
        var result = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--predictions", predictions, "--out", Out);

        // Then: results are written, accuracy is absent (null with the reason), and the exit code says it failed
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("no item could be scored", result.Stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "results.json")));
        var accuracy = json.RootElement.GetProperty("suites").GetProperty("medqa").GetProperty("metrics").GetProperty("accuracy");
        Assert.Equal(JsonValueKind.Null, accuracy.GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, accuracy.GetProperty("ci_low").ValueKind);
        Assert.Equal("no scored items", accuracy.GetProperty("absent_reason").GetString());
    }

    [Fact]
    public async Task Should_Keep_The_Users_Files_When_Overwriting_A_Run_Folder()
    {
        // Given: issue 7 — a signoff.txt and an attachments/ folder vanished when a run was repeated into its folder
        Assert.Equal(0, (await CliRunner.RunAsync("run", "--out", Out)).ExitCode);
        File.WriteAllText(Path.Combine(Out, "signoff.txt"), "signed");
        Directory.CreateDirectory(Path.Combine(Out, "attachments"));
        File.WriteAllText(Path.Combine(Out, "attachments", "ecg.pdf"), "ecg");

        // When: without --overwrite it is refused; with it only run files are replaced
        var refused = await CliRunner.RunAsync("run", "--out", Out, "--seed", "3");
        var replaced = await CliRunner.RunAsync("run", "--out", Out, "--seed", "3", "--overwrite");

        // Then
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Single(refused.ErrorLines);
        Assert.Contains("--overwrite", refused.Stderr, StringComparison.Ordinal);
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        Assert.Equal(RunFiles.Append("attachments").Append("signoff.txt").Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("signed", File.ReadAllText(Path.Combine(Out, "signoff.txt")));
        Assert.Equal("ecg", File.ReadAllText(Path.Combine(Out, "attachments", "ecg.pdf")));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "results.json")));
        Assert.Equal(3, json.RootElement.GetProperty("manifest").GetProperty("seed").GetInt32());
    }

    private static string SuitesSection(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        return doc.RootElement.GetProperty("suites").GetRawText();
    }

    private static string RunId(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        return doc.RootElement.GetProperty("manifest").GetProperty("run_id").GetString()!;
    }
}
