using static ValidationLab.Runners.OpenAI.Tests.TestSupport;

namespace ValidationLab.Store.Tests;

// Run records for resume.
public abstract partial class StoreConformanceTests
{
    [StoreFact]
    public void Runs_resume_only_unfinished_runs_of_the_same_config()
    {
        using var store = Open();
        var runs = store.Registry;
        var a = runs.BeginRun("cfg-a", resume: false);
        Assert.Equal(a, runs.BeginRun("cfg-a", resume: true));
        Assert.Equal(a, runs.FindUnfinishedRun("cfg-a"));
        Assert.Null(runs.FindUnfinishedRun("cfg-b"));
        var b = runs.BeginRun("cfg-b", resume: true); // nothing to resume: a new run
        Assert.NotEqual(a, b);
        var a2 = runs.BeginRun("cfg-a", resume: false);
        Assert.NotEqual(a, a2);
        Assert.Equal(a2, runs.BeginRun("cfg-a", resume: true)); // the latest unfinished one
        runs.FinishRun(a2);
        Assert.Equal(a, runs.BeginRun("cfg-a", resume: true));

        var record = runs.GetRun(a)!;
        Assert.Equal(("cfg-a", false, 2), (record.ConfigSha256, record.Finished, record.ResumeCount));
        Assert.True(runs.GetRun(a2)!.Finished);
        Assert.NotNull(runs.GetRun(a2)!.FinishedUtc);
        Assert.Null(runs.GetRun("no-such-run"));
        Assert.Throws<InvalidOperationException>(() => runs.FinishRun("no-such-run"));
    }

    [StoreFact]
    public async Task A_resumed_run_in_a_new_instance_asks_only_what_was_not_stored()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var plan = Plan(30, 0);
        string runId;
        using (var first = Open())
        {
            runId = first.Registry.BeginRun("cfg", resume: false);
            await using var runner = new CachingModelRunner(CreateRunner(server), first.Responses, runId);
            await RunAllAsync(runner, plan.Take(12).ToList(), 4);
        }

        // A new process: the run is continued under the same id and only the 18 unanswered requests go out.
        server.ResetCounters();
        using var second = Open();
        Assert.Equal(runId, second.Registry.BeginRun("cfg", resume: true));
        Assert.Equal(12, second.Responses.CountAnswered(runId));
        await using (var runner = new CachingModelRunner(CreateRunner(server), second.Responses, runId))
        {
            var answers = await RunAllAsync(runner, plan, 4);
            Assert.All(answers, a => Assert.Null(a.Error));
            Assert.Equal(12, runner.CacheHits);
        }

        Assert.Equal(18, server.Requests);
        Assert.Equal(30, second.Responses.CountAnswered(runId));
        second.Registry.FinishRun(runId);
        Assert.NotEqual(runId, second.Registry.BeginRun("cfg", resume: true)); // a finished run is never resumed
    }
}
