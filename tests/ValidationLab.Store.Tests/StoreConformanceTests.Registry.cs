using System.Text;

namespace ValidationLab.Store.Tests;

// The run registry: record, list with filters, detail, byte-identical re-export, comparisons, gate verdicts, promotion.
public abstract partial class StoreConformanceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 15, 42, TimeSpan.Zero);

    /// <summary>A run folder's worth of files: text, a nested file, and bytes that are not valid UTF-8.</summary>
    private static IReadOnlyList<RunFile> Files(string runId) =>
    [
        RunFile.Of("results.json", Encoding.UTF8.GetBytes($$"""{"run_id": "{{runId}}", "é": "ü"}""" + "\n")),
        RunFile.Of("items.jsonl", Encoding.UTF8.GetBytes("{\"item\":1}\n{\"item\":2}\n")),
        RunFile.Of("slices/by-sex.csv", Encoding.UTF8.GetBytes("slice,n\r\nF,1\r\n")),
        RunFile.Of("report.bin", [0x00, 0xFF, 0xFE, 0x80, 0x0A, 0x0D, 0x00]),
        RunFile.Of("empty.txt", []),
    ];

    private static RunRegistration Registration(string runId, string model, DateTimeOffset started, string[] suites, bool promoted = false, int items = 3) => new()
    {
        Run = new RunFacts
        {
            RunId = runId,
            Suites = suites,
            Model = model,
            Runner = "openai",
            Seed = 42,

            // 100 ns ticks: the registry keeps whole microseconds on every backend.
            StartedUtc = started.AddTicks(1234567),
            FinishedUtc = started.AddMinutes(5).ToOffset(TimeSpan.FromHours(2)),
            ConfigSha256 = "cfg-" + runId,
            HarnessCommit = runId == "r1" ? null : "abc123",
            Promoted = promoted,
        },
        Metrics =
        [
            new MetricRow(suites[0], "accuracy", 0.75, 0.61, 0.85, 40, null),
            new MetricRow(suites[0], "auroc", null, null, null, 0, 12),
        ],
        Items = Enumerable.Range(0, items).Select(i => new ItemRow(
            suites[i % suites.Length], $"q{i}", i % 3 == 2 ? "errored" : "scored", i % 3 == 2 ? null : i % 2 == 0, i % 4 == 0 ? null : i / 10.0,
            i % 5 == 0 ? true : null, i % 2 == 0 ? $"patient-{i / 2}" : null, $$"""{"suite":"{{suites[i % suites.Length]}}","item_id":"q{{i}}","n":"é{{i}}"}""")).ToList(),
        Files = Files(runId),
    };

    [StoreFact]
    public void A_recorded_run_reads_back_whole_and_re_exports_byte_identically()
    {
        var registration = Registration("r2", "gpt-x", T0, ["medqa", "risk"], items: 50);
        using (var store = Open())
        {
            store.Registry.RecordResults(registration);
        }

        using var other = Open();
        var detail = other.Registry.GetRunDetail("r2")!;
        var expected = registration.Run with
        {
            StartedUtc = registration.Run.StartedUtc.AddTicks(-7), // 1234567 ticks: the last 7 are below a microsecond
            FinishedUtc = registration.Run.FinishedUtc.ToUniversalTime(),
        };
        string[] none = []; // the suites are compared on their own (a list compares by reference in a record)
        Assert.Equal(expected with { Suites = none }, detail.Facts with { Suites = none });
        Assert.Equal(TimeSpan.Zero, detail.Facts.StartedUtc.Offset);
        Assert.Equal(["medqa", "risk"], detail.Facts.Suites);
        Assert.Equal(registration.Metrics, detail.Metrics);
        Assert.Equal(registration.Items, detail.Items);
        Assert.Equal(
            registration.Files.Select(f => new RunFileInfo(f.Name, f.Bytes.Length, f.Sha256)).OrderBy(f => f.Name, StringComparer.Ordinal),
            detail.Files);
        Assert.Empty(detail.Comparisons);
        Assert.Empty(detail.GateVerdicts);

        // Re-export: write the stored files into a new folder and read that folder back as a run folder.
        var folder = Path.Combine(Path.GetTempPath(), "vl-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var file in other.Registry.ReadRunFiles("r2"))
            {
                file.WriteTo(folder, overwrite: false);
            }

            var exported = RunFile.ReadFolder(folder);
            Assert.Equal(registration.Files.Select(f => f.Name).Order(StringComparer.Ordinal), exported.Select(f => f.Name));
            foreach (var file in exported)
            {
                Assert.Equal(registration.Files.Single(f => f.Name == file.Name).Bytes, file.Bytes);
            }

            // Never over a file that is there, unless asked.
            Assert.Throws<IOException>(() => other.Registry.ReadRunFiles("r2")[0].WriteTo(folder, overwrite: false));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        Assert.Null(other.Registry.GetRunDetail("nope"));
        Assert.Empty(other.Registry.ReadRunFiles("nope"));
    }

    [StoreFact]
    public void Runs_are_listed_newest_first_and_filtered_by_suite_model_date_and_promotion()
    {
        using var store = Open();
        var registry = store.Registry;
        registry.RecordResults(Registration("r1", "gpt-x", T0, ["medqa"]));
        registry.RecordResults(Registration("r2", "gpt-x", T0.AddDays(1), ["medqa", "risk"], promoted: true, items: 7));
        registry.RecordResults(Registration("r3", "llama", T0.AddDays(2), ["risk"]));

        string[] Ids(RunQuery q) => registry.ListRuns(q).Select(r => r.Facts.RunId).ToArray();
        Assert.Equal(["r3", "r2", "r1"], Ids(RunQuery.All));
        Assert.Equal(["r2", "r1"], Ids(new RunQuery { Suite = "medqa" }));
        Assert.Equal(["r3", "r2"], Ids(new RunQuery { Suite = "risk" }));
        Assert.Equal(["r2", "r1"], Ids(new RunQuery { Model = "gpt-x" }));
        Assert.Equal(["r3", "r2"], Ids(new RunQuery { Since = T0.AddDays(1) }));
        Assert.Equal(["r1"], Ids(new RunQuery { Until = T0.AddDays(1) }));
        Assert.Equal(["r2"], Ids(new RunQuery { Since = T0.AddHours(12), Until = T0.AddDays(2) }));
        Assert.Equal(["r2"], Ids(new RunQuery { Promoted = true }));
        Assert.Equal(["r3", "r1"], Ids(new RunQuery { Promoted = false }));
        Assert.Equal(["r1"], Ids(new RunQuery { Model = "gpt-x", Suite = "medqa", Promoted = false }));
        Assert.Equal(["r3"], Ids(new RunQuery { Limit = 1 }));
        Assert.Empty(Ids(new RunQuery { Model = "nobody" }));

        var r2 = registry.ListRuns(new RunQuery { Promoted = true }).Single();
        Assert.Equal(["medqa", "risk"], r2.Facts.Suites);
        Assert.Equal(7, r2.ItemCount);
        Assert.Null(r2.LatestVerdict);
    }

    [StoreFact]
    public void Comparisons_gate_verdicts_and_promotion_are_kept_with_the_run()
    {
        using var store = Open();
        var registry = store.Registry;
        registry.RecordResults(Registration("base", "gpt-x", T0, ["medqa"]));
        registry.RecordResults(Registration("cand", "gpt-y", T0.AddDays(1), ["medqa"]));
        var comparison = new ComparisonRecord("cand", "base", T0.AddDays(1).AddTicks(15), Encoding.UTF8.GetBytes("{\"delta\": 0.01}"));
        registry.RecordComparison(comparison);
        registry.RecordGateVerdict(new GateVerdictRecord("cand", T0.AddDays(2), "signoff_incomplete", false, "policy-sha", Encoding.UTF8.GetBytes("{\"v\":1}")));
        registry.RecordGateVerdict(new GateVerdictRecord("cand", T0.AddDays(3), "promotable", true, "policy-sha", Encoding.UTF8.GetBytes("{\"v\":2}")));
        registry.SetPromoted("cand", true);

        using var other = Open();
        var detail = other.Registry.GetRunDetail("cand")!;
        var stored = Assert.Single(detail.Comparisons);
        Assert.Equal(("cand", "base", T0.AddDays(1).AddTicks(10)), (stored.CandidateRunId, stored.BaselineRunId, stored.ComparedUtc));
        Assert.Equal(comparison.ComparisonJson, stored.ComparisonJson);
        Assert.Equal(comparison.Sha256, stored.Sha256);
        Assert.Single(other.Registry.GetRunDetail("base")!.Comparisons); // also found from the baseline's side
        Assert.Equal(["signoff_incomplete", "promotable"], detail.GateVerdicts.Select(v => v.Verdict));
        Assert.Equal([false, true], detail.GateVerdicts.Select(v => v.Promotable));
        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString(detail.GateVerdicts[1].GateJson));
        Assert.True(detail.Facts.Promoted);
        Assert.Equal("promotable", other.Registry.ListRuns(new RunQuery { Promoted = true }).Single().LatestVerdict);
        Assert.Throws<InvalidOperationException>(() => other.Registry.SetPromoted("unregistered", true));
    }

    [StoreFact]
    public void Recording_a_run_again_replaces_its_rows_and_keeps_its_verdicts()
    {
        using var store = Open();
        var registry = store.Registry;
        registry.RecordResults(Registration("r1", "gpt-x", T0, ["medqa"], items: 30));
        registry.RecordGateVerdict(new GateVerdictRecord("r1", T0, "criteria_met", false, "p", [1]));
        var again = Registration("r1", "gpt-x", T0, ["risk"], items: 4) with { Files = [RunFile.Of("results.json", [42])] };
        registry.RecordResults(again);

        var detail = registry.GetRunDetail("r1")!;
        Assert.Equal(again.Items, detail.Items);
        Assert.Equal(["risk"], detail.Facts.Suites);
        Assert.Equal(["results.json"], detail.Files.Select(f => f.Name));
        Assert.Equal([42], registry.ReadRunFiles("r1").Single().Bytes);
        Assert.Single(detail.GateVerdicts);
        Assert.Equal(4, registry.ListRuns(RunQuery.All).Single().ItemCount);
    }

    [StoreFact]
    public void A_stored_file_whose_bytes_no_longer_match_their_hash_is_refused()
    {
        using var store = Open();
        store.Registry.RecordResults(Registration("r1", "gpt-x", T0, ["medqa"]));
        Sql("UPDATE registry_files SET sha256 = '0000' WHERE name = 'results.json'");
        // Files are read chunk by chunk when they are written out (or read whole), and refused then.
        var error = Assert.Throws<InvalidDataException>(() => store.Registry.ReadRunFiles("r1").Single(f => f.Name == "results.json").Bytes);
        Assert.Contains("results.json", error.Message, StringComparison.Ordinal);
    }
}
