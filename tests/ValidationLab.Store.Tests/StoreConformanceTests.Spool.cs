using System.Text;
using ValidationLab.Requests;

namespace ValidationLab.Store.Tests;

// The local spool (issue 12: a store lost mid-run): answers spooled while the store was away are drained into it on
// the next open, exactly once, into the right store only, and a line cut short by a crash costs only that line.
public abstract partial class StoreConformanceTests
{
    private static readonly string OtherStore = "postgres://someone@elsewhere.example:5432/other";

    private static string SpoolFolder() => Path.Combine(Path.GetTempPath(), "vl-spool-" + Guid.NewGuid().ToString("N"), ResponseSpool.FolderName);

    private static void Spool(ResponseSpool spool, int i, string? runId, string text = "spooled ")
    {
        var request = Request(i);
        var (key, hash) = CacheKeys.Compute(Identity, request);
        spool.Append(key, hash, Identity, request, Answer(i, text), runId);
    }

    private static string Text(IResponseCache cache, int i) =>
        cache.TryGetResponse(CacheKeys.CacheKey(Identity, Request(i)), Request(i), out var r) ? r.Text! : "<none>";

    private static void DeleteSpoolRoot(string folder)
    {
        var root = Path.GetDirectoryName(folder)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [StoreFact]
    public void Spooled_answers_are_read_back_and_drained_into_the_store_with_their_run_links()
    {
        var folder = SpoolFolder();
        try
        {
            using var store = Open();
            var runId = store.Registry.BeginRun("cfg", resume: false);
            string file;
            using (var spool = new ResponseSpool(folder, store.Description))
            {
                Assert.Null(spool.FilePath); // nothing written until there is something to keep
                Assert.False(Directory.Exists(folder));
                for (var i = 0; i < 3; i++)
                {
                    Spool(spool, i, runId);
                }

                spool.Append("k-error", null, Identity, Request(9), ModelResponse.Failed(Request(9), "http", "boom"), runId); // errors are not kept
                Assert.Equal(3, spool.Count);
                file = spool.FilePath!;
            }

            var (spooledFor, keys) = ResponseSpool.Read(file);
            Assert.Equal(store.Description, spooledFor);
            Assert.Equal(Enumerable.Range(0, 3).Select(i => CacheKeys.CacheKey(Identity, Request(i))), keys);
            Assert.Equal(0, store.Responses.CachedResponseCount);

            var notes = new List<string>();
            var drained = ResponseSpool.Drain(folder, store, notes.Add);

            Assert.Equal(new SpoolDrain(1, 3, 0), drained);
            Assert.Equal(3, store.Responses.CachedResponseCount);
            Assert.Equal(3, store.Responses.CountAnswered(runId));
            Assert.Equal("spooled 2", Text(store.Responses, 2));
            Assert.False(File.Exists(file));
            Assert.False(Directory.Exists(folder)); // an emptied spool folder goes too
            Assert.Contains(notes, n => n.Contains("wrote 3 answers", StringComparison.Ordinal));

            using var reopened = Open();
            Assert.Equal("spooled 1", Text(reopened.Responses, 1)); // committed, not just queued
        }
        finally
        {
            DeleteSpoolRoot(folder);
        }
    }

    [StoreFact]
    public void A_spooled_answer_comes_back_from_the_store_exactly_as_a_direct_put_stores_it()
    {
        var folder = SpoolFolder();
        try
        {
            using var store = Open();
            var request = new LogLikelihoodRequest { Suite = "s", ItemId = "1", Context = "c", Continuations = ["a", "b", "c"] };
            var response = new ModelResponse
            {
                Suite = "s",
                ItemId = "1",
                Text = "line one\nline \"two\" — ü",
                LogLikelihoods = [-0.1 / 3, double.NegativeInfinity, -1e-300],
                Probability = 0.123456789012345678,
                LatencyMs = 12.345678901234,
                Usage = new TokenUsage(10, 1, 0.0000123m),
                Method = "echo-logprobs",
            };
            var (key, hash) = CacheKeys.Compute(Identity, request);
            using (var spool = new ResponseSpool(folder, store.Description))
            {
                spool.Append(key, hash, Identity, request, response, null);
            }

            ResponseSpool.Drain(folder, store);

            Assert.True(store.Responses.TryGetResponse(key, request, out var back));
            Assert.Equal(response.Text, back.Text);
            Assert.Equal(response.LogLikelihoods, back.LogLikelihoods);
            Assert.Equal(response.Probability, back.Probability);
            Assert.Equal(response.LatencyMs, back.LatencyMs);
            Assert.Equal(response.Usage, back.Usage);
            Assert.Equal(response.Method, back.Method);
            Assert.Equal(hash, Scalar($"SELECT request_hash FROM responses WHERE cache_key = '{key}'"));
            Assert.Equal("LogLikelihood", Scalar($"SELECT kind FROM responses WHERE cache_key = '{key}'"));
        }
        finally
        {
            DeleteSpoolRoot(folder);
        }
    }

    [StoreFact]
    public void A_line_cut_short_by_a_crash_is_skipped_with_a_warning_and_the_rest_is_drained()
    {
        var folder = SpoolFolder();
        try
        {
            using var store = Open();
            string file;
            using (var spool = new ResponseSpool(folder, store.Description))
            {
                Spool(spool, 0, null);
                Spool(spool, 1, null);
                file = spool.FilePath!;
            }

            // The writer died in the middle of its third line: half an entry, no '\n'.
            var third = File.ReadAllLines(file)[2];
            File.AppendAllText(file, third[..(third.Length / 2)], new UTF8Encoding(false));

            var notes = new List<string>();
            var (_, keys) = ResponseSpool.Read(file, notes.Add);
            Assert.Equal(2, keys.Count);
            Assert.Contains(notes, n => n.StartsWith("warning: ", StringComparison.Ordinal) && n.Contains("line 4 was cut short", StringComparison.Ordinal));

            notes.Clear();
            var drained = ResponseSpool.Drain(folder, store, notes.Add);
            Assert.Equal(2, drained.Answers);
            Assert.Equal(2, store.Responses.CachedResponseCount);
            Assert.Contains(notes, n => n.Contains("cut short", StringComparison.Ordinal));
            Assert.False(File.Exists(file));
        }
        finally
        {
            DeleteSpoolRoot(folder);
        }
    }

    [StoreFact]
    public void Draining_twice_changes_nothing_and_an_answer_already_stored_keeps_its_first_text()
    {
        var folder = SpoolFolder();
        try
        {
            using var store = Open();
            var runId = store.Registry.BeginRun("cfg", resume: false);
            Put(store.Responses, 0, runId, text: "first ").GetAwaiter().GetResult();
            string file;
            using (var spool = new ResponseSpool(folder, store.Description))
            {
                Spool(spool, 0, runId); // the same request answered again (the store took it before it went away)
                Spool(spool, 1, runId);
                file = spool.FilePath!;
            }

            // A crash after the commit but before the file was deleted: the next open drains the same file again.
            var copy = File.ReadAllBytes(file);
            Assert.Equal(2, ResponseSpool.Drain(folder, store).Answers);
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(file, copy);
            Assert.Equal(new SpoolDrain(1, 2, 0), ResponseSpool.Drain(folder, store));

            Assert.Equal(2, store.Responses.CachedResponseCount);
            Assert.Equal(2, store.Responses.CountAnswered(runId));
            Assert.Equal("first 0", Text(store.Responses, 0));
            Assert.Equal("spooled 1", Text(store.Responses, 1));
            Assert.False(File.Exists(file));
        }
        finally
        {
            DeleteSpoolRoot(folder);
        }
    }

    [StoreFact]
    public void A_spool_made_for_another_store_is_left_in_place_and_one_still_being_written_is_left_to_its_writer()
    {
        var folder = SpoolFolder();
        try
        {
            using var store = Open();
            string foreign;
            using (var other = new ResponseSpool(folder, OtherStore))
            {
                Spool(other, 0, null);
                foreign = other.FilePath!;
            }

            using var live = new ResponseSpool(folder, store.Description);
            Spool(live, 1, null);

            var notes = new List<string>();
            Assert.Equal(new SpoolDrain(0, 0, 2), ResponseSpool.Drain(folder, store, notes.Add));
            Assert.Equal(0, store.Responses.CachedResponseCount);
            Assert.True(File.Exists(foreign));
            Assert.True(File.Exists(live.FilePath));
            Assert.Contains(notes, n => n.Contains($"holds answers for the run store {OtherStore}, not {store.Description}", StringComparison.Ordinal));
            Assert.Contains(notes, n => n.Contains("being written by a running process", StringComparison.Ordinal));

            // Its writer finished: now it is this store's to take; the other store's file still is not.
            live.Dispose();
            Assert.Equal(new SpoolDrain(1, 1, 1), ResponseSpool.Drain(folder, store));
            Assert.Equal("spooled 1", Text(store.Responses, 1));
            Assert.Equal("<none>", Text(store.Responses, 0));
            Assert.True(File.Exists(foreign));
        }
        finally
        {
            DeleteSpoolRoot(folder);
        }
    }
}
