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

    /// <summary>The benchmark's cohort (seed 7, plain NDJSON) written to <paramref name="folder"/> and kept.</summary>
    public static void WriteCohort(string folder, int patients, int days)
    {
        var cohort = CohortGenerator.Write(folder, new GeneratorSettings { Patients = patients, Days = days, Seed = 7 });
        Console.WriteLine($"{cohort.Patients} patients ({cohort.Deteriorating} deteriorating), {cohort.VitalPanels} vital panels, {cohort.LabResults} labs -> {folder}");
    }

    public static void Run(TextWriter output, int patients, int days, int rounds, bool breakdown = false)
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
            var floorsUtf8 = new List<double>();
            var replays = new List<double>();
            long peakHeap = 0;
            for (var round = 0; round < rounds; round++)
            {
                GC.Collect();
                var (t0, c0) = (Stopwatch.GetTimestamp(), Cpu());
                var lines = Floor(cohort.Files);
                var (floor, floorCpu) = (Stopwatch.GetElapsedTime(t0).TotalSeconds, Cpu() - c0);
                GC.Collect();
                (t0, c0) = (Stopwatch.GetTimestamp(), Cpu());
                _ = FloorUtf8(cohort.Files);
                var (floorUtf8, floorUtf8Cpu) = (Stopwatch.GetElapsedTime(t0).TotalSeconds, Cpu() - c0);
                GC.Collect();
                (t0, c0) = (Stopwatch.GetTimestamp(), Cpu());
                var (points, news2Sum, heap) = Replay(folder, task);
                var (replay, replayCpu) = (Stopwatch.GetElapsedTime(t0).TotalSeconds, Cpu() - c0);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1} CPU seconds: floor {floorCpu:0.00}, UTF-8 floor {floorUtf8Cpu:0.00}, replay {replayCpu:0.00}: ratio {replayCpu / floorCpu:0.00}, against the UTF-8 floor {replayCpu / floorUtf8Cpu:0.00}"));
                peakHeap = Math.Max(peakHeap, heap);
                floors.Add(floor);
                floorsUtf8.Add(floorUtf8);
                replays.Add(replay);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}: floor (JsonDocument.Parse of {lines:N0} lines) {floor:0.00} s, from UTF-8 lines {floorUtf8:0.00} s; read + replay + NEWS2 at {points:N0} decision points {replay:0.00} s; ratio {replay / floor:0.00}, against the UTF-8 floor {replay / floorUtf8:0.00} (mean NEWS2 {news2Sum / points:0.00})"));
            }

            if (breakdown)
            {
                Breakdown(output, folder, task);
            }

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var ratios = floors.Zip(replays, (f, r) => r / f).Order().ToList();
            var ratiosUtf8 = floorsUtf8.Zip(replays, (f, r) => r / f).Order().ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median ratio {ratios[ratios.Count / 2]:0.00}, against the UTF-8 floor {ratiosUtf8[ratiosUtf8.Count / 2]:0.00} (target <= 3); peak working set {process.PeakWorkingSet64 / 1048576.0:0} MiB; peak GC heap while replaying {peakHeap / 1048576.0:0} MiB (target < 1024)"));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The floor: every NDJSON line of the cohort parsed with JsonDocument (also longitudinal-run-quick's).</summary>
    internal static long Floor(IReadOnlyList<string> files)
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

    /// <summary>
    /// The floor read as the streaming reader reads: UTF-8 lines handed to JsonDocument.Parse without decoding them
    /// to strings first (the cheaper of the two floors, so the stricter ratio).
    /// </summary>
    private static long FloorUtf8(IReadOnlyList<string> files)
    {
        long lines = 0;
        var buffer = new byte[1 << 16];
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            int start = 0, end = 0;
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                    if (end == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    var read = stream.Read(buffer, end, buffer.Length - end);
                    if (read == 0)
                    {
                        break;
                    }

                    end += read;
                    continue;
                }

                using (var doc = JsonDocument.Parse(buffer.AsMemory(start, newline)))
                {
                    lines += doc.RootElement.ValueKind == JsonValueKind.Object ? 1 : 0;
                }

                start += newline + 1;
            }
        }

        return lines;
    }

    /// <summary>CPU time of this process so far, in seconds (all threads, the GC's included).</summary>
    internal static double Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>Where the replay's time goes, stage by stage, each stage measured cumulatively in one more pass.</summary>
    private static void Breakdown(TextWriter output, string folder, TaskDefinition task)
    {
        // CPU time of this process: on a shared machine the wall time of each stage depends on the neighbours.
        double Time(Action action)
        {
            GC.Collect();
            var t0 = Process.GetCurrentProcess().TotalProcessorTime;
            action();
            return (Process.GetCurrentProcess().TotalProcessorTime - t0).TotalSeconds;
        }

        var floorCpu = Time(() => FloorUtf8(Directory.GetFiles(folder)));
        var floorStringCpu = Time(() => Floor(Directory.GetFiles(folder)));

        var index = Time(() => TimelineReader.Open(folder, TimelineReader.FhirNdjson));
        var read = Time(() =>
        {
            foreach (var _ in TimelineReader.Open(folder, TimelineReader.FhirNdjson).Patients)
            {
            }
        });
        var points = Time(() =>
        {
            foreach (var _ in TaskEngine.Stream(task, TimelineReader.Open(folder, TimelineReader.FhirNdjson).Patients, new TaskCounter()))
            {
            }
        });
        var all = Time(() => Replay(folder, task));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU seconds: floor {floorStringCpu:0.00} (UTF-8 floor {floorCpu:0.00}); index pass {index:0.00}; + reading patients {read:0.00}; + decision points {points:0.00}; + features and NEWS2 (the replay) {all:0.00}: ratio {all / floorStringCpu:0.00}, against the UTF-8 floor {all / floorCpu:0.00}"));
    }

    /// <summary>
    /// Read patient by patient (index pass, then one patient at a time), decision points per patient, features
    /// walked forward through each patient's decision points: nothing of a patient is kept once it is done.
    /// </summary>
    private static (int Points, double News2Sum, long Heap) Replay(string folder, TaskDefinition task)
    {
        var stream = TimelineReader.Open(folder, TimelineReader.FhirNdjson);
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        var counter = new TaskCounter();
        var sum = 0.0;
        var walker = new FeatureWalker();
        foreach (var (_, included, _) in TaskEngine.Stream(task, stream.Patients, counter))
        {
            foreach (var point in included)
            {
                var features = walker.Build(point.View);
                sum += features.GetValueOrDefault(FeatureBuilder.News2Feature);
            }

            heap = Math.Max(heap, GC.GetTotalMemory(false));
        }

        return (counter.Counts.DecisionPoints, sum, heap);
    }
}
