using ValidationLab.EndToEnd.Tests.Support;

namespace ValidationLab.EndToEnd.Tests;

/// <summary>
/// Guards that a request the endpoint refuses for good (HTTP 400) makes its item `errored` (no answer: excluded
/// from accuracy, never `correct: false`), that the run still completes, and that --max-error-rate turns too many
/// errored items into exit code 3 with the results still written.
/// </summary>
public sealed class ErroredItemTests : IAsyncLifetime
{
    private readonly Workspace _ws = new("errored");
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await Endpoint.StartAsync();
        _server.Rejects = prompt => FakeOpenAIServer.Bucket(prompt) % 5 == 0;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ws.Dispose();
    }

    [Fact]
    public async Task Refused_requests_make_errored_items_not_wrong_answers()
    {
        var run = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "run"));
        Assert.True(run.ExitCode == 0, run.ToString());

        var rejected = _server.PerPrompt.Keys.Count(k => _server.Rejects(k[(k.IndexOf('\u0001', StringComparison.Ordinal) + 1)..]));
        Assert.InRange(rejected, 1, Repo.FixtureItems - 1);

        // 400 is not retried: one request per prompt.
        Assert.Equal(Repo.FixtureItems, _server.Requests);

        var items = RunFolder.Items(_ws.At("run"));
        var errored = items.Where(i => i["status"]!.GetValue<string>() == "errored").ToList();
        Assert.Equal(rejected, errored.Count);
        Assert.All(errored, i =>
        {
            Assert.Null(i["correct"]);
            Assert.Null(i["prediction"]);
            Assert.Contains("400", i["error"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.All(items.Except(errored), i => Assert.NotNull(i["correct"]));

        var results = RunFolder.Results(_ws.At("run"));
        var counts = results["suites"]!["medqa"]!["counts"]!;
        Assert.Equal(rejected, counts["errored"]!.GetValue<int>());
        Assert.Equal(rejected, RunFolder.Accounting(results, "errored_requests"));

        // Accuracy is over the answered items only: correct / (items - errored).
        var correct = items.Count(i => i["correct"]?.GetValue<bool>() == true);
        var accuracy = results["suites"]!["medqa"]!["metrics"]!["accuracy"]!["value"]!.GetValue<double>();
        Assert.Equal((double)correct / (Repo.FixtureItems - rejected), accuracy, 9);
    }

    [Fact]
    public async Task Max_error_rate_exceeded_exits_3_with_results_written()
    {
        var run = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "limited", extra: ["--max-error-rate", "0.01"]));
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("max_error_rate", run.Stderr, StringComparison.Ordinal);
        foreach (var file in new[] { "results.json", "items.jsonl", "items.csv", "report.html" })
        {
            Assert.True(File.Exists(_ws.At("limited/" + file)), file + " missing");
        }

        var results = RunFolder.Results(_ws.At("limited"));
        Assert.Contains(results["warnings"]!.AsArray(), w => w!.GetValue<string>().Contains("max_error_rate", StringComparison.Ordinal));
    }
}
