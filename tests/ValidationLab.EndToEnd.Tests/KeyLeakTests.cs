using ValidationLab.EndToEnd.Tests.Support;

namespace ValidationLab.EndToEnd.Tests;

/// <summary>
/// Guards key hygiene: the API key, read from the variable named by api_key_env, is sent to the endpoint but never
/// written anywhere, even when the endpoint echoes request headers in its error bodies, requests are retried, the
/// run breaks --max-error-rate, or answers come from the cache. Checked in stdout, stderr, every output file and
/// the store files (.db, -wal, -shm).
/// </summary>
public sealed class KeyLeakTests : IAsyncLifetime
{
    private static readonly Fault[] TransientFaults = [Fault.RateLimited, Fault.ServerError, Fault.Unavailable, Fault.MalformedJson];
    private readonly Workspace _ws = new("leak");
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await Endpoint.StartAsync();
        _server.Rejects = prompt => FakeOpenAIServer.Bucket(prompt) % 6 == 0;
        _server.Faults = r => r.Attempt == 1 && FakeOpenAIServer.Bucket(r.Prompt) % 3 == 1
            ? TransientFaults[FakeOpenAIServer.Bucket(r.Prompt) % 4]
            : Fault.None;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ws.Dispose();
    }

    [Fact]
    public async Task The_key_appears_in_no_output_stream_file_or_store()
    {
        var runs = new List<CliResult>
        {
            await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "faulty")),
            await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "limited", extra: ["--max-error-rate", "0.01"])),
            await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "resumed", extra: ["--resume"])),
        };
        Assert.Equal([0, 3, 0], runs.Select(r => r.ExitCode));

        // The key was really in play: sent on every request, and echoed back by the refusing endpoint.
        Assert.NotEmpty(_server.AuthorizationHeaders);
        Assert.All(_server.AuthorizationHeaders, h => Assert.Equal("Bearer " + _ws.Key, h));
        var errors = RunFolder.Items(_ws.At("faulty")).Where(i => i["status"]!.GetValue<string>() == "errored").Select(i => i["error"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains("[redacted]", e, StringComparison.Ordinal));

        foreach (var run in runs)
        {
            Assert.DoesNotContain(_ws.Key, run.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(_ws.Key, run.Stderr, StringComparison.Ordinal);
        }

        var files = _ws.AllFiles().Select(Path.GetFileName).ToHashSet();
        Assert.Contains("store.db", files);
        foreach (var name in new[] { "results.json", "items.jsonl", "items.csv", "report.html" })
        {
            Assert.Contains(name, files);
        }

        Assert.Empty(_ws.FilesContaining(_ws.Key));
    }

    [Fact]
    public async Task The_key_is_not_in_the_store_files_while_a_run_holds_them_open()
    {
        // After a clean exit SQLite folds -wal back into the .db; scan a live store too, from a run still in flight.
        _server.Faults = _ => Fault.None;
        // Hold every request after the 10th inside the server: the run is then certainly live, mid-way, with both
        // of its connections waiting, while the store files are scanned.
        _server.Hold(r => r.Number > 10);
        var running = Workspace.RunInProcessAsync(_ws.RunArgs(_server, "live", concurrency: 2));
        await _server.WaitUntilAsync(s => s.Held == 2, "both connections of the live run held");
        Assert.False(running.IsCompleted);
        var live = Directory.EnumerateFiles(Path.GetDirectoryName(_ws.Store)!).Select(Path.GetFileName).ToList();
        var leaking = _ws.FilesContaining(_ws.Key);
        _server.ReleaseHeld();
        var result = await running;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("store.db-wal", live);
        Assert.Empty(leaking);
    }
}
