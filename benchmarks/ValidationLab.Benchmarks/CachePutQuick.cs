using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Store;

namespace ValidationLab.Benchmarks;

/// <summary>
/// Issue 12: the SQLite cache's durable write path alone (no HTTP): concurrent PutResponseAsync calls, each awaited
/// (returned ⇒ durable), on the responses table as schema 3 has it (a rowid table and its key index) against the same
/// table rebuilt WITHOUT ROWID (one B-tree keyed by cache_key; tried for schema 3 and dropped on this measurement),
/// interleaved round by round in one command. Reports puts/s and process CPU per put.
/// </summary>
public static class CachePutQuick
{
    private static readonly RunnerIdentity Identity = new() { Runner = "openai", Model = "bench", Source = "http://127.0.0.1/v1", Fingerprint = new string('f', 64) };

    public static void Run(TextWriter output, int concurrency, int putsPerRound, int rounds)
    {
        var dir = Path.Combine(Path.GetTempPath(), "vl-put-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var schema3 = Path.Combine(dir, "v3.db");
            var withoutRowid = Path.Combine(dir, "without-rowid.db");
            StoreFactory.Open(schema3).Dispose();
            StoreFactory.Open(withoutRowid).Dispose();
            using (var c = new SqliteConnection($"Data Source={withoutRowid};Pooling=False"))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = """
                    DROP TABLE responses;
                    CREATE TABLE responses (cache_key TEXT NOT NULL PRIMARY KEY, runner TEXT NOT NULL, model TEXT NOT NULL, source TEXT,
                        fingerprint TEXT NOT NULL, request_hash TEXT NOT NULL, kind TEXT NOT NULL, text TEXT, loglikelihoods BLOB, probability REAL,
                        latency_ms REAL NOT NULL, prompt_tokens INTEGER, completion_tokens INTEGER, cost TEXT, method TEXT, created_utc TEXT NOT NULL) WITHOUT ROWID;
                    """;
                cmd.ExecuteNonQuery();
            }

            using var a = StoreFactory.Open(schema3);
            using var b = StoreFactory.Open(withoutRowid);
            var names = new[] { "rowid table (schema 3)", "WITHOUT ROWID" };
            var stores = new[] { a, b };
            var rates = new[] { new List<double>(), new List<double>() };
            var cpu = new[] { new List<double>(), new List<double>() };
            using var process = Process.GetCurrentProcess();
            var next = 0;
            for (var round = -2; round < rounds; round++)
            {
                for (var k = 0; k < 2; k++)
                {
                    var start = next;
                    next += putsPerRound;
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    var t = Stopwatch.GetTimestamp();
                    Parallel.ForAsync(0, putsPerRound, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
                    {
                        var request = new GenerateRequest { Suite = "s", ItemId = "i" + (start + i), Messages = [new ChatMessage("user", "Question " + (start + i) + ": what is the dose?")] };
                        var (key, hash) = CacheKeys.Compute(Identity, request);
                        await stores[k].Responses.PutResponseAsync(key, hash, Identity, request,
                            new ModelResponse { Suite = "s", ItemId = request.ItemId, Text = "The answer is (B).", LatencyMs = 1, Usage = new TokenUsage(40, 8, null) }, null, CancellationToken.None);
                    }).GetAwaiter().GetResult();
                    var seconds = Stopwatch.GetElapsedTime(t).TotalSeconds;
                    process.Refresh();
                    if (round >= 0)
                    {
                        rates[k].Add(putsPerRound / seconds);
                        cpu[k].Add((process.TotalProcessorTime - cpuBefore).TotalMicroseconds / putsPerRound);
                    }
                }
            }

            for (var k = 0; k < 2; k++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{names[k],-26} median {Median(rates[k]),9:N0} puts/s  best {rates[k].Max(),9:N0}  {Median(cpu[k]),6:F1} µs CPU/put"));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
