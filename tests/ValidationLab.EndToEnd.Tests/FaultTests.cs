using ValidationLab.EndToEnd.Tests.Support;

namespace ValidationLab.EndToEnd.Tests;

/// <summary>
/// Guards that transient endpoint faults (429 with Retry-After: 0, 500, 503, a truncated JSON body) on about 30%
/// of prompts are retried away: the run succeeds with exactly the results of a fault-free run, and the retries
/// are visible in results.json accounting.
/// </summary>
public sealed class FaultTests : IAsyncLifetime
{
    private readonly Workspace _ws = new("faults");
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await Endpoint.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ws.Dispose();
    }

    /// <summary>~30% of prompts fail their first attempt, about a tenth of those their second too; the type rotates.</summary>
    private static Fault Flaky(string prompt, int attempt)
    {
        var bucket = FakeOpenAIServer.Bucket(prompt);
        if (bucket >= 77 || attempt > (bucket < 8 ? 2 : 1))
        {
            return Fault.None;
        }

        return ((bucket + attempt) % 4) switch
        {
            0 => Fault.RateLimited,
            1 => Fault.ServerError,
            2 => Fault.Unavailable,
            _ => Fault.MalformedJson,
        };
    }

    [Fact]
    public async Task Transient_faults_are_retried_and_results_equal_a_fault_free_run()
    {
        var clean = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "clean", store: _ws.At("clean-store/store.db")));
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Equal(Repo.FixtureItems, _server.Requests);

        _server.ResetCounters();
        _server.Faults = r => Flaky(r.Prompt, r.Attempt);
        var faulted = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "faulted", store: _ws.At("faulted-store/store.db")));
        Assert.True(faulted.ExitCode == 0, faulted.ToString());

        var injected = _server.FaultsInjected.Values.Sum();
        var faultedPrompts = _server.PerPrompt.Count(p => p.Value > 1);
        Assert.InRange(faultedPrompts, 6, 25); // ~30% of 43, whatever the hash draws
        Assert.All(new[] { Fault.RateLimited, Fault.ServerError, Fault.Unavailable, Fault.MalformedJson }, f => Assert.True(_server.FaultsInjected.ContainsKey(f), $"no {f} injected"));
        Assert.Equal(Repo.FixtureItems + injected, _server.Requests);

        var rc = RunFolder.Results(_ws.At("clean"));
        var rf = RunFolder.Results(_ws.At("faulted"));
        Assert.Equal(RunFolder.SuitesJson(rc), RunFolder.SuitesJson(rf));
        Assert.Equal(RunFolder.ItemsWithoutLatency(_ws.At("clean")), RunFolder.ItemsWithoutLatency(_ws.At("faulted")));
        Assert.Equal(0, RunFolder.Accounting(rc, "retries"));
        Assert.Equal(injected, RunFolder.Accounting(rf, "retries"));
        Assert.Equal(0, RunFolder.Accounting(rf, "errored_requests"));
        Assert.Equal(Repo.FixtureItems + injected, RunFolder.Accounting(rf, "requests"));
        Assert.Contains("retrying item", faulted.Stdout, StringComparison.Ordinal);
    }
}
