using ValidationLab.EndToEnd.Tests.Support;

namespace ValidationLab.EndToEnd.Tests;

/// <summary>
/// Guards the response cache as the user meets it through `validationlab run --store`: a rerun of the same config
/// sends nothing to the endpoint and reproduces the results byte for byte, with accounting that says so; and an
/// answer is never reused for a different model or different decoding settings.
/// </summary>
public sealed class CacheTests : IAsyncLifetime
{
    private readonly Workspace _ws = new("cache");
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await Endpoint.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ws.Dispose();
    }

    [Fact]
    public async Task Second_run_with_the_same_store_is_served_entirely_from_the_cache_and_is_byte_identical()
    {
        var first = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "first"));
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(Repo.FixtureItems, _server.Requests);
        Assert.All(_server.AuthorizationHeaders, h => Assert.Equal("Bearer " + _ws.Key, h));
        var r1 = RunFolder.Results(_ws.At("first"));
        Assert.Equal(Repo.FixtureItems, RunFolder.Accounting(r1, "requests"));
        Assert.Equal(0, RunFolder.Accounting(r1, "cache_hits"));

        _server.ResetCounters();
        var second = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "second"));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(0, _server.Requests);

        var r2 = RunFolder.Results(_ws.At("second"));
        Assert.Equal(Repo.FixtureItems, RunFolder.Accounting(r2, "cache_hits"));
        Assert.Equal(0, RunFolder.Accounting(r2, "requests"));
        Assert.Equal(0, RunFolder.Accounting(r2, "prompt_tokens"));
        Assert.Equal(RunFolder.SuitesJson(r1), RunFolder.SuitesJson(r2));
        Assert.NotEqual(r1["manifest"]!["run_id"]!.GetValue<string>(), r2["manifest"]!["run_id"]!.GetValue<string>());
        Assert.Equal(File.ReadAllBytes(_ws.At("first/items.jsonl")), File.ReadAllBytes(_ws.At("second/items.jsonl")));
        Assert.Equal(File.ReadAllBytes(_ws.At("first/items.csv")), File.ReadAllBytes(_ws.At("second/items.csv")));

        // The server's answers are what got scored: every item is scored, none errored.
        var items = RunFolder.Items(_ws.At("second"));
        Assert.Equal(Repo.FixtureItems, items.Count);
        Assert.All(items, i => Assert.Equal("scored", i["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Cache_is_never_shared_across_models_or_decoding_settings()
    {
        var baseRun = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "base"));
        Assert.True(baseRun.ExitCode == 0, baseRun.ToString());
        Assert.Equal(Repo.FixtureItems, _server.Requests);

        _server.ResetCounters();
        var otherModel = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "other-model", model: "e2e-model-2"));
        Assert.True(otherModel.ExitCode == 0, otherModel.ToString());
        Assert.Equal(Repo.FixtureItems, _server.Requests);
        var rm = RunFolder.Results(_ws.At("other-model"));
        Assert.Equal(0, RunFolder.Accounting(rm, "cache_hits"));
        Assert.Equal(Repo.FixtureItems, RunFolder.Accounting(rm, "requests"));

        _server.ResetCounters();
        var otherTokens = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "other-max-tokens", extra: ["--suite-option", "max_tokens=64"]));
        Assert.True(otherTokens.ExitCode == 0, otherTokens.ToString());
        Assert.Equal(Repo.FixtureItems, _server.Requests);
        var rt = RunFolder.Results(_ws.At("other-max-tokens"));
        Assert.Equal(0, RunFolder.Accounting(rt, "cache_hits"));

        // And the original settings still hit their own entries.
        _server.ResetCounters();
        var again = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "again"));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(0, _server.Requests);
    }
}
