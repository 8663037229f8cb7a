using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>`validationlab report`: re-renders report.html from the run folder, byte for byte as `run` wrote it.</summary>
public sealed class ReportCommandTests
{
    [Fact]
    public async Task Re_rendering_a_fresh_run_gives_the_bytes_run_wrote()
    {
        using var dir = new TempDir();
        var run = dir.Combine("run");
        Assert.Equal(0, (await CliRunner.RunAsync("run", "--out", run)).ExitCode);
        var report = Path.Combine(run, "report.html");
        var written = await File.ReadAllBytesAsync(report);

        var result = await CliRunner.RunAsync("report", "--run", run);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(written, await File.ReadAllBytesAsync(report));
        Assert.False(File.Exists(report + ".tmp"));
    }

    [Fact]
    public async Task A_broken_signoffs_file_is_bad_input_naming_it_and_the_report_is_left_as_it_was()
    {
        using var dir = new TempDir();
        var run = dir.Combine("run");
        Assert.Equal(0, (await CliRunner.RunAsync("run", "--out", run)).ExitCode);
        var report = Path.Combine(run, "report.html");
        var written = await File.ReadAllBytesAsync(report);
        await File.WriteAllTextAsync(Path.Combine(run, "signoffs.jsonl"), "{not json\n");

        var result = await CliRunner.RunAsync("report", "--run", run);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("signoffs.jsonl", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(written, await File.ReadAllBytesAsync(report));
    }

    [Fact]
    public async Task A_folder_that_is_not_a_run_is_bad_input()
    {
        using var dir = new TempDir();

        var result = await CliRunner.RunAsync("report", "--run", dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("results.json is missing", result.Stderr, StringComparison.Ordinal);
    }
}
