using ValidationLab.EndToEnd.Tests.Support;

namespace ValidationLab.EndToEnd.Tests;

/// <summary>
/// Guards the key-related bad input of `run --runner openai`: an api_key_env naming an unset variable, and a
/// literal api_key. Each is exit code 2 with one message naming the setting, no request to the endpoint, no results
/// written, and a literal key never repeated back in any output or file.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly Workspace _ws = new("badinput");
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await Endpoint.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ws.Dispose();
    }

    private List<string> ArgsWithUnsetKeyVariable()
    {
        var unset = "VL_E2E_UNSET_" + Guid.NewGuid().ToString("N");
        return [.. _ws.RunArgs(_server, "out").Select(a => a == $"api_key_env={_ws.KeyEnv}" ? $"api_key_env={unset}" : a)];
    }

    [Fact]
    public async Task Unset_api_key_env_variable_is_bad_input_naming_api_key_env()
    {
        var args = ArgsWithUnsetKeyVariable();
        var result = await Workspace.RunInProcessAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("api_key_env", line, StringComparison.Ordinal);
        Assert.Contains(args.Single(a => a.StartsWith("api_key_env=", StringComparison.Ordinal))["api_key_env=".Length..], line, StringComparison.Ordinal);
        Assert.Equal(0, _server.Requests);
        Assert.False(Directory.Exists(_ws.At("out")));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_ws.Dir), p => Path.GetFileName(p).Contains("out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unset_api_key_env_variable_writes_nothing_at_all()
    {
        var result = await Workspace.RunInProcessAsync(ArgsWithUnsetKeyVariable());

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Empty(_ws.AllFiles());
    }

    [Fact]
    public async Task Literal_api_key_is_refused_and_never_echoed()
    {
        var literal = "sk-test-DO-NOT-LEAK-literal-" + Guid.NewGuid().ToString("N");
        var args = _ws.RunArgs(_server, "out");
        args.AddRange(["--runner-option", $"api_key={literal}"]);
        var result = await Workspace.RunInProcessAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("api_key_env", line, StringComparison.Ordinal);
        Assert.Contains("'api_key'", line, StringComparison.Ordinal);
        Assert.DoesNotContain(literal, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _server.Requests);
        Assert.False(Directory.Exists(_ws.At("out")));
        Assert.Empty(_ws.FilesContaining(literal));
    }

    [Fact]
    public async Task Literal_api_key_writes_nothing_at_all()
    {
        var args = _ws.RunArgs(_server, "out");
        args.AddRange(["--runner-option", "api_key=sk-test-DO-NOT-LEAK-literal"]);
        var result = await Workspace.RunInProcessAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Empty(_ws.AllFiles());
    }
}
