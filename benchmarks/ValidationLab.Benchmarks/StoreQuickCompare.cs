using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using ValidationLab.Store;

namespace ValidationLab.Benchmarks;

/// <summary>
/// Issue 12: the PostgreSQL registry's write of an N-item run (<see cref="IRunRegistry.RecordResults"/>: facts,
/// suites, metrics, items and the run folder's files, in one transaction) against the floor: a bare binary COPY of the
/// same rows into tables of the same shape (same columns and primary keys, no foreign keys), in one transaction, with
/// Npgsql directly. Interleaved round by round in one command (load drifts hit both alike); each round records a new
/// run id, so both sides insert into growing tables.
/// </summary>
public static class StoreQuickCompare
{
    public static void Run(TextWriter output, string adminConnectionString, int items, int rounds)
    {
        ArgumentNullException.ThrowIfNull(output);
        var database = "vl_bench_" + Guid.NewGuid().ToString("N")[..12];
        Admin(adminConnectionString, $"CREATE DATABASE {database}");
        var connectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database }.ConnectionString;
        try
        {
            using var store = StoreFactory.Open(connectionString);
            using (var c = new NpgsqlConnection(connectionString))
            {
                c.Open();
                using var cmd = new NpgsqlCommand("""
                    CREATE TABLE floor_run_suites (LIKE registry_run_suites INCLUDING ALL);
                    CREATE TABLE floor_metrics (LIKE registry_metrics INCLUDING ALL);
                    CREATE TABLE floor_items (LIKE registry_items INCLUDING ALL);
                    CREATE TABLE floor_files (LIKE registry_files INCLUDING ALL);
                    """, c);
                cmd.ExecuteNonQuery();
            }

            var template = Registration("template", items);
            var bytes = template.Files.Sum(f => (long)f.Bytes.Length) + template.Items.Sum(i => (long)Encoding.UTF8.GetByteCount(i.Json));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{items:N0} items, {template.Metrics.Count} metrics, {template.Files.Count} files; {bytes / 1e6:F1} MB of item JSON and file bytes per run; {rounds} rounds after 1 warm-up"));

            var registry = new List<double>();
            var floor = new List<double>();
            for (var round = -1; round < rounds; round++)
            {
                var id = round.ToString(CultureInfo.InvariantCulture);
                var registration = template with { Run = template.Run with { RunId = "run" + id } };
                double Registry()
                {
                    var started = Stopwatch.GetTimestamp();
                    store.Registry.RecordResults(registration);
                    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                double Floor()
                {
                    var started = Stopwatch.GetTimestamp();
                    CopyFloor(connectionString, registration);
                    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                // Alternate which goes first, so neither always meets the other's checkpoint or autovacuum.
                var (r, f) = round % 2 == 0 ? (Registry(), Floor()) : (Floor() is var x ? (Registry(), x) : default);
                if (round >= 0)
                {
                    registry.Add(r);
                    floor.Add(f);
                }
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"registry RecordResults  median {Median(registry),8:F0} ms  best {registry.Min(),8:F0} ms  worst {registry.Max(),8:F0} ms"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"floor binary COPY       median {Median(floor),8:F0} ms  best {floor.Min(),8:F0} ms  worst {floor.Max(),8:F0} ms"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"registry / floor: {Median(registry) / Median(floor):F2}x (medians), {registry.Min() / floor.Min():F2}x (bests); target <= 2x"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Admin(adminConnectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    /// <summary>A run as a 50,000-item MedQA-sized run records it: items of ~0.7 KB JSON, items.jsonl, results.json and config.yaml.</summary>
    private static RunRegistration Registration(string runId, int count)
    {
        var items = new List<ItemRow>(count);
        var jsonl = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var correct = i % 3 != 0;
            var json = string.Create(CultureInfo.InvariantCulture,
                $$"""{"suite":"medqa","item_id":"medqa-{{i:D6}}","cluster_id":null,"status":"scored","prompt_hash":"{{i:x8}}9f2c4e1b7a3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d","input":"A {{30 + (i % 50)}}-year-old woman presents with fever, dysuria and flank pain for two days. Her temperature is 38.9 C. Which of the following is the most appropriate next step in management? A) Oral nitrofurantoin B) Intravenous ceftriaxone C) Renal ultrasound D) Observation","response":"The answer is (B): intravenous ceftriaxone, because this is acute pyelonephritis with systemic signs.","prediction":"B","gold":"{{(correct ? "B" : "C")}}","correct":{{(correct ? "true" : "false")}},"score":null,"label":null,"as_of":null,"explanation":"extracted B from 'The answer is (B)'; gold is {{(correct ? "B" : "C")}}","error":null,"latency_ms":{{812.5 + i % 97}},"strata":{"sex":""") + (i % 2 == 0 ? "\"F\"}}" : "\"M\"}}");
            items.Add(new ItemRow("medqa", $"medqa-{i:D6}", "scored", correct, null, null, null, json));
            jsonl.Append(json).Append('\n');
        }

        return new RunRegistration
        {
            Run = new RunFacts
            {
                RunId = runId,
                Suites = ["medqa"],
                Model = "bench-model",
                Runner = "openai",
                Seed = 42,
                StartedUtc = DateTimeOffset.UtcNow,
                FinishedUtc = DateTimeOffset.UtcNow,
                ConfigSha256 = new string('c', 64),
                HarnessCommit = "0123456789abcdef",
            },
            Metrics = Enumerable.Range(0, 24).Select(m => new MetricRow("medqa", "metric-" + m, 0.5 + m / 100.0, 0.4, 0.6, count, null)).ToList(),
            Items = items,
            Files =
            [
                RunFile.Of("items.jsonl", Encoding.UTF8.GetBytes(jsonl.ToString())),
                RunFile.Of("results.json", Encoding.UTF8.GetBytes(new string('r', 40_000))),
                RunFile.Of("config.yaml", Encoding.UTF8.GetBytes("suites:\n  - medqa\nrunner: openai\n")),
            ],
        };
    }

    /// <summary>The floor: the same rows, one binary COPY per table, one transaction, no registry logic.</summary>
    private static void CopyFloor(string connectionString, RunRegistration registration)
    {
        var run = registration.Run.RunId;
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        using var tx = c.BeginTransaction();
        using (var w = c.BeginBinaryImport("COPY floor_run_suites (run_id, position, suite) FROM STDIN (FORMAT BINARY)"))
        {
            w.StartRow();
            w.Write(run, NpgsqlDbType.Text);
            w.Write(0, NpgsqlDbType.Integer);
            w.Write("medqa", NpgsqlDbType.Text);
            w.Complete();
        }

        using (var w = c.BeginBinaryImport("COPY floor_metrics (run_id, position, suite, metric, value, lower, upper, n, clusters) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < registration.Metrics.Count; i++)
            {
                var m = registration.Metrics[i];
                w.StartRow();
                w.Write(run, NpgsqlDbType.Text);
                w.Write(i, NpgsqlDbType.Integer);
                w.Write(m.Suite, NpgsqlDbType.Text);
                w.Write(m.Metric, NpgsqlDbType.Text);
                w.Write(m.Value!.Value, NpgsqlDbType.Double);
                w.Write(m.Lower!.Value, NpgsqlDbType.Double);
                w.Write(m.Upper!.Value, NpgsqlDbType.Double);
                w.Write(m.N, NpgsqlDbType.Integer);
                w.WriteNull();
            }

            w.Complete();
        }

        using (var w = c.BeginBinaryImport("COPY floor_items (run_id, position, suite, item_id, status, correct, score, label, cluster, json) FROM STDIN (FORMAT BINARY)"))
        {
            var i = 0;
            foreach (var t in registration.Items)
            {
                w.StartRow();
                w.Write(run, NpgsqlDbType.Text);
                w.Write(i++, NpgsqlDbType.Integer);
                w.Write(t.Suite, NpgsqlDbType.Text);
                w.Write(t.ItemId, NpgsqlDbType.Text);
                w.Write(t.Status, NpgsqlDbType.Text);
                w.Write(t.Correct!.Value, NpgsqlDbType.Boolean);
                w.WriteNull();
                w.WriteNull();
                w.WriteNull();
                w.Write(t.Json, NpgsqlDbType.Text);
            }

            w.Complete();
        }

        using (var w = c.BeginBinaryImport("COPY floor_files (run_id, name, length, sha256, bytes) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var f in registration.Files)
            {
                w.StartRow();
                w.Write(run, NpgsqlDbType.Text);
                w.Write(f.Name, NpgsqlDbType.Text);
                w.Write((long)f.Bytes.Length, NpgsqlDbType.Bigint);
                w.Write(f.Sha256, NpgsqlDbType.Text);
                w.Write(f.Bytes, NpgsqlDbType.Bytea);
            }

            w.Complete();
        }

        tx.Commit();
    }

    private static void Admin(string connectionString, string sql)
    {
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
