using ValidationLab.EndToEnd.Tests.Support;

namespace ValidationLab.EndToEnd.Tests;

/// <summary>
/// The README's exit codes as a user meets them, from the real `validationlab` process: 130 after Ctrl-C (SIGINT)
/// with nothing written, 1 for a genuine internal fault with a message that says it is a bug, and for a user's
/// mistake exit 2 with one line and never a stack trace.
/// </summary>
public sealed class ExitCodeTests : IAsyncLifetime
{
    private readonly Workspace _ws = new("exit");
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await Endpoint.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ws.Dispose();
    }

    private Dictionary<string, string> KeyEnvironment => new() { [_ws.KeyEnv] = _ws.Key };

    [Fact]
    public async Task Sigint_while_a_request_is_in_flight_exits_130_and_writes_no_results()
    {
        // The server holds every request: the signal certainly arrives mid-run, while the CLI waits for an answer.
        _server.Hold(_ => true);
        using var child = CliProcess.Start(_ws.RunArgs(_server, "out", concurrency: 2), _ws.Dir, KeyEnvironment);
        var exited = child.WaitForExitAsync();
        var held = _server.WaitUntilAsync(s => s.Held >= 1, "a request of the CLI held");
        if (await Task.WhenAny(held, exited) != held)
        {
            Assert.Fail($"the CLI ended before a request reached the server (exit {child.ExitCode})\n{child.Stdout}\n{child.Stderr}");
        }

        await held;
        child.Interrupt();
        await exited;

        Assert.True(child.ExitCode == 130, $"exit {child.ExitCode}\n{child.Stdout}\n{child.Stderr}");
        Assert.Contains("cancelled", child.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", child.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_ws.At("out")), "a cancelled run wrote its --out folder");
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_ws.Dir), p => Path.GetFileName(p).Contains("out", StringComparison.Ordinal));
        Assert.Equal(0, _server.Answered);
    }

    [Fact]
    public async Task A_faulty_plugin_is_a_bug_exit_1_with_a_message_that_says_so()
    {
        // A copy of the CLI with a broken runner plug-in beside it, found by the ordinary plug-in discovery. The copy
        // leaves out validationlab.deps.json so that the host loads whatever assemblies sit in the folder, as it
        // would for a plug-in dropped there by a user.
        var cli = _ws.At("cli");
        Directory.CreateDirectory(cli);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory))
        {
            var name = Path.GetFileName(file);
            if (!name.EndsWith(".deps.json", StringComparison.Ordinal) && !IsTestInfrastructure(name))
            {
                File.Copy(file, Path.Combine(cli, name));
            }
        }

        var plugin = Path.Combine(AppContext.BaseDirectory, "faulty-plugin", "ValidationLab.Plugins.Faulty.dll");
        Assert.True(File.Exists(plugin), $"the test plug-in was not built to {plugin}");
        File.Copy(plugin, Path.Combine(cli, Path.GetFileName(plugin)));

        string[] args = ["run", "--suite", "medqa", "--data", Repo.MedQaFixture, "--runner", "faulty", "--out", _ws.At("out")];
        using var child = CliProcess.Start(args, _ws.Dir, KeyEnvironment, Path.Combine(cli, "validationlab.dll"));
        await child.WaitForExitAsync();

        Assert.True(child.ExitCode == 1, $"exit {child.ExitCode}\n{child.Stdout}\n{child.Stderr}");
        Assert.Contains("a bug in ValidationLab", child.Stderr, StringComparison.Ordinal);
        Assert.Contains("KeyNotFoundException", child.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_ws.At("out")), "a run that failed with a bug wrote its --out folder");
    }

    [Fact]
    public async Task A_missing_data_file_is_bad_input_exit_2_one_line_and_no_stack_trace()
    {
        var missing = _ws.At("no-such-file.jsonl");
        string[] args = ["run", "--suite", "medqa", "--data", missing, "--runner", "baseline", "--out", _ws.At("out")];
        using var child = CliProcess.Start(args, _ws.Dir, KeyEnvironment);
        await child.WaitForExitAsync();

        Assert.True(child.ExitCode == 2, $"exit {child.ExitCode}\n{child.Stdout}\n{child.Stderr}");
        var line = Assert.Single(child.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("no-such-file.jsonl", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", child.Stderr + child.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", child.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_ws.At("out")));
    }

    private static bool IsTestInfrastructure(string fileName) =>
        fileName.StartsWith("ValidationLab.EndToEnd.Tests", StringComparison.Ordinal)
        || fileName.StartsWith("xunit", StringComparison.OrdinalIgnoreCase)
        || fileName.StartsWith("testhost", StringComparison.OrdinalIgnoreCase)
        || fileName.StartsWith("Microsoft.TestPlatform", StringComparison.Ordinal)
        || fileName.StartsWith("Microsoft.VisualStudio", StringComparison.Ordinal);
}
