using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>The report's model card from a model-card file given in the config or with --model-card.</summary>
public sealed class ModelCardRunTests
{
    private static string Fixtures => Path.Combine(ValidationLab.Testing.TestRepository.Root, "fixtures");

    [Fact]
    public async Task The_fixture_configs_model_card_is_in_the_report_and_written_for_report_to_render_the_same_page()
    {
        using var dir = new TempDir();
        var run = dir.Combine("run");

        var result = await CliRunner.RunAsync("run", "--config", Path.Combine(Fixtures, "configs", "medqa-model-card.yaml"), "--out", run);

        Assert.True(result.ExitCode == 0, result.ToString());
        var report = Path.Combine(run, "report.html");
        string page = await File.ReadAllTextAsync(report);
        Assert.Contains("A floor for comparison only: shows what answering MedQA-style questions by word overlap alone scores.", page, StringComparison.Ordinal);
        Assert.Contains("Does not reason; accuracy near chance.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No model card was given", page, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "model-card.json")));

        // Re-rendered from the folder alone: the same bytes, so signatures over the report stay valid.
        var written = await File.ReadAllBytesAsync(report);
        Assert.Equal(0, (await CliRunner.RunAsync("report", "--run", run)).ExitCode);
        Assert.Equal(written, await File.ReadAllBytesAsync(report));
    }

    [Fact]
    public async Task A_bad_model_card_file_is_exit_2_naming_file_line_and_key_before_anything_is_written()
    {
        using var dir = new TempDir();
        var card = dir.Combine("card.yaml");
        await File.WriteAllTextAsync(card, "intended_use: Triage support\nowner: Dr A\n");
        var run = dir.Combine("run");

        var result = await CliRunner.RunAsync("run", "--model-card", card, "--out", run);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(card + ":2: field 'model_card.owner': unknown model card key 'owner'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public async Task A_bad_model_card_json_in_the_run_folder_stops_report_and_leaves_the_page_as_it_was()
    {
        using var dir = new TempDir();
        var run = dir.Combine("run");
        Assert.Equal(0, (await CliRunner.RunAsync("run", "--out", run)).ExitCode);
        var report = Path.Combine(run, "report.html");
        var written = await File.ReadAllBytesAsync(report);
        await File.WriteAllTextAsync(Path.Combine(run, "model-card.json"), "{\"intended_use\": 42, \"population\": [\"adults\"]}");

        var result = await CliRunner.RunAsync("report", "--run", run);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("model-card.json:1: field 'model_card.population': model card 'population' must be text", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(written, await File.ReadAllBytesAsync(report));
    }
}
