using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ValidationLab.Suites.Longitudinal;
using ValidationLab.Suites.Longitudinal.Generator;
using ValidationLab.Suites.Longitudinal.Readers;
using ValidationLab.Suites.Longitudinal.Rendering;
using ValidationLab.Suites.Longitudinal.Tasks;

namespace ValidationLab.Benchmarks;

/// <summary>
/// Longitudinal replay at scale (<c>longitudinal-replay [patients] [days] [rounds]</c>): a generated ward cohort
/// (hourly vital-sign panels) is written to a temp folder as FHIR Bulk NDJSON, then, round by round, (a) the floor:
/// every line parsed with System.Text.Json's JsonDocument and nothing else, and (b) the replay: read into timelines,
/// decision points every 4 h (generated-deterioration-24h), point-in-time features and NEWS2 at every point. Reports
/// both times, their ratio (target ≤ 3), and the peak working set and GC heap. Also <c>longitudinal-fixture
/// &lt;folder&gt;</c> writes the committed fixture (60 patients × 3 days, gzipped).
/// </summary>
public static class LongitudinalReplayBenchmark
{
    public static void WriteFixture(string folder)
    {
        var cohort = CohortGenerator.Write(folder, new GeneratorSettings { Gzip = true });
        Console.WriteLine($"{cohort.Patients} patients ({cohort.Deteriorating} deteriorating), {cohort.VitalPanels} vital panels, {cohort.LabResults} labs -> {folder}");
    }

    public static void Run(TextWriter output, int patients, int days, int rounds)
    {
        var folder = Path.Combine(Path.GetTempPath(), "vl-longitudinal-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            var started = Stopwatch.GetTimestamp();
            var cohort = CohortGenerator.Write(folder, new GeneratorSettings { Patients = patients, Days = days, Seed = 7 });
            var bytes = cohort.Files.Sum(f => new FileInfo(f).Length);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generated {cohort.Patients} patients x {days} days: {cohort.VitalPanels:N0} vital-sign observations (panels of 8), {cohort.LabResults:N0} labs, {bytes / 1e6:0} MB NDJSON in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"));
            var task = TaskDefinition.Load(Path.Combine(LongitudinalSuiteOptions.BundledTasks, "generated-deterioration-24h.yaml"));
            var floors = new List<double>();
            var replays = new List<double>();
            long peakHeap = 0;
            for (var round = 0; round < rounds; round++)
            {
                GC.Collect();
                var t0 = Stopwatch.GetTimestamp();
                var lines = Floor(cohort.Files);
                var floor = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                GC.Collect();
                t0 = Stopwatch.GetTimestamp();
                var (points, news2Sum, heap) = Replay(folder, task);
                var replay = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                peakHeap = Math.Max(peakHeap, heap);
                floors.Add(floor);
                replays.Add(replay);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}: floor (JsonDocument.Parse of {lines:N0} lines) {floor:0.00} s; read + replay + NEWS2 at {points:N0} decision points {replay:0.00} s; ratio {replay / floor:0.00} (mean NEWS2 {news2Sum / points:0.00})"));
            }

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var ratios = floors.Zip(replays, (f, r) => r / f).Order().ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median ratio {ratios[ratios.Count / 2]:0.00} (target <= 3); peak working set {process.PeakWorkingSet64 / 1048576.0:0} MiB; peak GC heap after reading {peakHeap / 1048576.0:0} MiB (target < 1024)"));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static long Floor(IReadOnlyList<string> files)
    {
        long lines = 0;
        foreach (var file in files)
        {
            using var reader = new StreamReader(file, System.Text.Encoding.UTF8, false, 1 << 16);
            while (reader.ReadLine() is { } line)
            {
                using var doc = JsonDocument.Parse(line);
                lines += doc.RootElement.ValueKind == JsonValueKind.Object ? 1 : 0;
            }
        }

        return lines;
    }

    private static (int Points, double News2Sum, long Heap) Replay(string folder, TaskDefinition task)
    {
        var timelines = TimelineReader.Read(folder, TimelineReader.FhirNdjson);
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        var (included, _, _) = TaskEngine.Run(task, timelines);
        var sum = 0.0;
        foreach (var point in included)
        {
            var features = FeatureBuilder.Build(point.View);
            sum += features.GetValueOrDefault(FeatureBuilder.News2Feature);
        }

        return (included.Count, sum, Math.Max(heap, GC.GetTotalMemory(false)));
    }
}
