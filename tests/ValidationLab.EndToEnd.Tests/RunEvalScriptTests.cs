using System.Diagnostics;
using ValidationLab.EndToEnd.Tests.Support;

namespace ValidationLab.EndToEnd.Tests;

/// <summary>
/// run-eval.ps1, the README's wrapper, run by PowerShell (the pinned .NET local tool, `dotnet pwsh`): arguments with
/// spaces and quotes reach the CLI unchanged, and the CLI's exit codes 0, 2 and 3 come back to the caller.
/// </summary>
public sealed class RunEvalScriptTests : IDisposable
{
    private readonly Workspace _ws = new("pwsh");

    public void Dispose() => _ws.Dispose();

    [PowerShellFact]
    public async Task Arguments_with_spaces_and_quotes_reach_the_cli_unchanged_and_exit_0_comes_back()
    {
        var outDir = _ws.At("out with space, 'single' and \"double\" quotes");
        var (code, output) = await RunScriptAsync("run", "--suite", "medqa", "--data", Repo.MedQaFixture, "--runner", "baseline", "--runner-option", "model=random", "--seed", "3", "--out", outDir);

        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(outDir, "results.json")), $"no results.json in [{outDir}]; the workspace holds: {string.Join(" | ", Directory.EnumerateFileSystemEntries(_ws.Dir).Select(Path.GetFileName))}\n{output}");
        Assert.Equal([Path.GetFileName(outDir)], Directory.EnumerateDirectories(_ws.Dir).Select(Path.GetFileName));
    }

    [PowerShellFact]
    public async Task Bad_input_exit_2_comes_back()
    {
        var (code, output) = await RunScriptAsync("run", "--suite", "medqa", "--data", _ws.At("no such file.jsonl"), "--runner", "baseline", "--out", _ws.At("out"));

        Assert.True(code == 2, output);
        Assert.Contains("no such file.jsonl", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_ws.At("out")));
    }

    [PowerShellFact]
    public async Task Too_many_errored_items_exit_3_comes_back()
    {
        // Only the fixture's first question has a recorded answer: 42 of 43 items error, far above 10%.
        var predictions = _ws.At("one prediction.csv");
        await File.WriteAllTextAsync(predictions, "item_id,response\n0,C\n");
        var (code, output) = await RunScriptAsync("run", "--suite", "medqa", "--data", Repo.MedQaFixture, "--predictions", predictions, "--max-error-rate", "0.1", "--out", _ws.At("out"));

        Assert.True(code == 3, output);
        Assert.True(File.Exists(_ws.At("out/results.json")), output);
    }

    /// <summary>`dotnet pwsh -File run-eval.ps1 ARGS…` from the repository root (where the tool manifest is).</summary>
    private static async Task<(int ExitCode, string Output)> RunScriptAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repo.Root,
        };
        foreach (var a in (string[])["pwsh", "-NoProfile", "-NonInteractive", "-File", Path.Combine(Repo.Root, "run-eval.ps1"), .. args])
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = $"exit {process.ExitCode}\n--- stdout\n{await stdout}\n--- stderr\n{await stderr}";
        Assert.False(output.Contains("Could not execute because the specified command or file was not found", StringComparison.Ordinal),
            "PowerShell (the .NET local tool in .config/dotnet-tools.json) is not restored; run 'dotnet tool restore'\n" + output);
        return (process.ExitCode, output);
    }
}
