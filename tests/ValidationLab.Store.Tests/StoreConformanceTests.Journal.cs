using ValidationLab.Requests;

namespace ValidationLab.Store.Tests;

// The response journal (ResponseJournal): the local durable tier in front of the store. A put is durable once it
// returns (in the journal file or already in the store), lookups see journaled answers, everything reaches the store
// on flush and dispose, and a journal left by a process that died is drained by the next open of its folder.
public abstract partial class StoreConformanceTests
{
    /// <summary>
    /// Copies the journal file as it is now (what a crash would leave), with cp: .NET will not open a file another
    /// handle holds locked, and the journal's owner holds it.
    /// </summary>
    private static void Snapshot(string path, string copy)
    {
        using var cp = System.Diagnostics.Process.Start("cp", [path, copy])!;
        cp.WaitForExit();
        Assert.Equal(0, cp.ExitCode);
    }

    [StoreFact]
    public async Task A_journaled_put_is_durable_when_it_returns_and_reaches_the_store_on_flush()
    {
        const int n = 300;
        var folder = SpoolFolder();
        try
        {
            using var store = Open();
            var runId = store.Registry.BeginRun("cfg", resume: false);
            using var journal = ResponseJournal.Open(store, folder);
            await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                await Put(journal, i, runId);
                Assert.Equal("answer " + i, Text(journal, i)); // seen at once, drained or not
            });

            // A crash now would leave the journal file as it is: every answer returned is in it or in the store.
            var crashed = Path.Combine(Path.GetDirectoryName(folder)!, "crashed.jsonl");
            Snapshot(journal.FilePath!, crashed);
            var inFile = ResponseSpool.Read(crashed).Keys.ToHashSet(StringComparer.Ordinal);
            using (var other = Open())
            {
                for (var i = 0; i < n; i++)
                {
                    var key = CacheKeys.CacheKey(Identity, Request(i));
                    Assert.True(inFile.Contains(key) || other.Responses.Contains(key), $"answer {i} was returned but is neither journaled nor stored");
                }
            }

            journal.Flush();
            Assert.Equal(0, journal.Undrained);
            using var reopened = Open();
            Assert.Equal(n, reopened.Responses.CachedResponseCount);
            Assert.Equal(n, reopened.Responses.CountAnswered(runId));
            Assert.Equal("answer 7", Text(reopened.Responses, 7));
        }
        finally
        {
            DeleteSpoolRoot(folder);
        }
    }

    [StoreFact]
    public void A_journaled_answer_reads_back_exactly_and_dispose_drains_it_and_removes_the_journal()
    {
        var folder = SpoolFolder();
        try
        {
            using var store = Open();
            var request = new LogLikelihoodRequest { Suite = "s", ItemId = "1", Context = "c", Continuations = ["a", "b"] };
            var response = new ModelResponse
            {
                Suite = "s",
                ItemId = "1",
                LogLikelihoods = [-0.1 / 3, double.NegativeInfinity],
                Probability = 0.123456789012345678,
                LatencyMs = 12.345678901234,
                Usage = new TokenUsage(10, 1, 0.0000123m),
                Method = "echo-logprobs",
            };
            var (key, hash) = CacheKeys.Compute(Identity, request);
            string file;
            using (var journal = ResponseJournal.Open(store, folder))
            {
                Assert.Null(journal.FilePath); // nothing is created before the first answer
                journal.PutResponseAsync(key, hash, Identity, request, response, null, CancellationToken.None).GetAwaiter().GetResult();
                file = journal.FilePath!;
                Assert.True(journal.TryGetResponse(key, request with { ItemId = "2" }, out var seen));
                Assert.Equal(("2", response.Probability, response.LatencyMs, response.Usage, response.Method), (seen.ItemId, seen.Probability, seen.LatencyMs, seen.Usage, seen.Method));
                Assert.Equal(response.LogLikelihoods, seen.LogLikelihoods);
            }

            Assert.False(File.Exists(file));
            Assert.False(Directory.Exists(folder));
            Assert.True(store.Responses.TryGetResponse(key, request, out var back));
            Assert.Equal((response.Probability, response.Usage), (back.Probability, back.Usage));
            Assert.Equal(response.LogLikelihoods, back.LogLikelihoods);
        }
        finally
        {
            DeleteSpoolRoot(folder);
        }
    }

    [StoreFact]
    public async Task A_journal_left_by_a_dead_process_is_drained_by_the_next_open_and_a_live_one_is_not()
    {
        var folder = SpoolFolder();
        try
        {
            using var store = Open();
            var runId = store.Registry.BeginRun("cfg", resume: false);
            using var live = ResponseJournal.Open(store, folder);
            await Put(live, 1, runId, text: "live ");

            // What a process killed after journaling answers 2..4 leaves: its file, no longer locked.
            using (var dead = new ResponseSpool(folder, store.Description))
            {
                for (var i = 2; i < 5; i++)
                {
                    Spool(dead, i, runId);
                }
            }

            var notes = new List<string>();
            using (var next = ResponseJournal.Open(store, folder, notes.Add))
            {
                Assert.Equal("spooled 3", Text(next, 3));
                await Put(next, 3, runId, text: "again "); // the first answer under a key stays
            }

            Assert.Contains(notes, n => n.Contains("wrote 3 answers", StringComparison.Ordinal));
            Assert.Contains(notes, n => n.Contains("being written by a running process", StringComparison.Ordinal));
            Assert.Equal("spooled 3", Text(store.Responses, 3));
            Assert.True(File.Exists(live.FilePath)); // the live journal is its owner's

            live.Dispose();
            Assert.Equal(4, store.Responses.CachedResponseCount);
            Assert.Equal(4, store.Responses.CountAnswered(runId));
            Assert.False(Directory.Exists(folder));
        }
        finally
        {
            DeleteSpoolRoot(folder);
        }
    }
}
