using Microsoft.Data.Sqlite;
using ValidationLab.EndToEnd.Tests.Support;
using ValidationLab.Suites.MedQA;

namespace ValidationLab.EndToEnd.Tests;

/// <summary>
/// Guards crash safety of `validationlab run`: the CLI, as a child process, is killed with SIGKILL mid-run. No
/// results folder may appear; `--resume` then continues the same run record (same run_id, manifest.resumed = true),
/// asks the endpoint only for what the store does not hold (no stored prompt is ever paid for twice), and ends with
/// the same items as an uninterrupted run.
/// </summary>
public sealed class ResumeAfterKillTests : IAsyncLifetime
{
    private const int Concurrency = 2;
    private readonly Workspace _ws = new("resume");
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await Endpoint.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ws.Dispose();
    }

    [Fact]
    public async Task Resume_after_kill_9_reuses_every_stored_answer_and_matches_an_uninterrupted_run()
    {
        var args = _ws.RunArgs(_server, "out", concurrency: Concurrency);

        // 1. Start the CLI as a child. The server answers 15 requests and holds every later one; once both of the
        //    CLI's connections are held (it can send nothing else), kill it hard: the kill lands mid-run by
        //    construction, not by timing.
        const int answeredBeforeKill = 15;
        _server.Hold(r => r.Number > answeredBeforeKill);
        using (var child = CliProcess.Start(args, _ws.Dir, new Dictionary<string, string> { [_ws.KeyEnv] = _ws.Key }))
        {
            var exited = child.WaitForExitAsync();
            // (Answered counts after the reply is written, so it is part of the condition, not checked after it.)
            var held = _server.WaitUntilAsync(s => s.Held == Concurrency && s.Answered == answeredBeforeKill, $"{answeredBeforeKill} answered and {Concurrency} requests held");
            if (await Task.WhenAny(held, exited) != held)
            {
                Assert.Fail($"the CLI ended before it could be killed (exit {child.ExitCode})\n{child.Stdout}\n{child.Stderr}");
            }

            await held;
            child.KillHard();
            Assert.DoesNotContain(_ws.Key, child.Stdout + child.Stderr, StringComparison.Ordinal);
        }

        // The killed connections end the held requests; only then is the count final.
        await _server.WaitUntilAsync(s => s.InFlight == 0, "the killed run's requests ended");
        _server.ReleaseHeld();
        var sentBeforeKill = _server.Requests;
        var countsBeforeKill = new Dictionary<string, int>(_server.PerPrompt, StringComparer.Ordinal);
        Assert.Equal(answeredBeforeKill + Concurrency, sentBeforeKill);

        // 2. Nothing was written to (or beside) the out folder.
        Assert.False(Directory.Exists(_ws.At("out")), "a killed run left an out folder");
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_ws.Dir), p => Path.GetFileName(p).Contains("out", StringComparison.Ordinal));

        // 3. What the store kept: the unfinished run and the answers stored before the kill.
        var (killedRunId, storedHashes) = ReadStore(_ws.Store);
        Assert.NotNull(killedRunId);
        Assert.InRange(storedHashes.Count, 1, sentBeforeKill);
        Assert.True(sentBeforeKill - storedHashes.Count <= Concurrency,
            $"{sentBeforeKill} requests reached the server but only {storedHashes.Count} answers were stored (at most {Concurrency} may be in flight)");
        Assert.Empty(_ws.FilesContaining(_ws.Key));

        // 4. Resume in-process.
        _server.ResetCounters();
        var resumed = await Workspace.RunInProcessAsync([.. args, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var results = RunFolder.Results(_ws.At("out"));
        Assert.True(results["manifest"]!["resumed"]!.GetValue<bool>());
        Assert.Equal(killedRunId, results["manifest"]!["run_id"]!.GetValue<string>());
        Assert.Equal(storedHashes.Count, RunFolder.Accounting(results, "cache_hits"));
        Assert.Equal(Repo.FixtureItems - storedHashes.Count, RunFolder.Accounting(results, "requests"));
        Assert.Equal(Repo.FixtureItems - storedHashes.Count, _server.Requests);

        // No stored prompt was sent again; every prompt reached the server at most once more than before the kill.
        var items = RunFolder.Items(_ws.At("out"));
        Assert.Equal(Repo.FixtureItems, items.Count);
        foreach (var item in items)
        {
            var key = FakeOpenAIServer.PromptKey("e2e-model", item["input"]!.GetValue<string>() + "\n\n" + MedQaPromptBuilder.Instruction);
            var before = countsBeforeKill.GetValueOrDefault(key);
            var after = _server.PerPrompt.GetValueOrDefault(key);
            if (storedHashes.Contains(item["prompt_hash"]!.GetValue<string>()))
            {
                Assert.True(before == 1 && after == 0, $"stored item {item["item_id"]} was sent {before} time(s) before the kill and {after} after");
            }
            else
            {
                Assert.True(before <= 1 && after == 1, $"unstored item {item["item_id"]} was sent {before} time(s) before the kill and {after} after");
            }
        }

        Assert.True(sentBeforeKill + _server.Requests <= Repo.FixtureItems + Concurrency);

        // The run record is finished: a second --resume starts a new run rather than continuing it.
        var (unfinished, _) = ReadStore(_ws.Store);
        Assert.Null(unfinished);

        // 5. Same items as an uninterrupted run (own store).
        var straight = await Workspace.RunInProcessAsync(_ws.RunArgs(_server, "straight", store: _ws.At("straight-store/store.db"), concurrency: Concurrency));
        Assert.True(straight.ExitCode == 0, straight.ToString());
        Assert.Equal(RunFolder.ItemsWithoutLatency(_ws.At("straight")), RunFolder.ItemsWithoutLatency(_ws.At("out")));
        Assert.Equal(RunFolder.SuitesJson(RunFolder.Results(_ws.At("straight"))), RunFolder.SuitesJson(results));

        Assert.Empty(_ws.FilesContaining(_ws.Key));
        Assert.DoesNotContain(_ws.Key, resumed.Stdout + resumed.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The unfinished run's id and the request hashes of the stored answers, read straight from SQLite.</summary>
    private static (string? RunningId, HashSet<string> RequestHashes) ReadStore(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var runs = connection.CreateCommand();
        runs.CommandText = "SELECT run_id FROM runs WHERE status = 'running'";
        var running = new List<string>();
        using (var r = runs.ExecuteReader())
        {
            while (r.Read())
            {
                running.Add(r.GetString(0));
            }
        }

        Assert.True(running.Count <= 1, "more than one unfinished run: " + string.Join(", ", running));
        using var responses = connection.CreateCommand();
        responses.CommandText = "SELECT request_hash FROM responses";
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        using (var r = responses.ExecuteReader())
        {
            while (r.Read())
            {
                hashes.Add(r.GetString(0));
            }
        }

        return (running.SingleOrDefault(), hashes);
    }
}
