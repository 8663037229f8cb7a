using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ValidationLab.Configuration;
using ValidationLab.Discovery;
using ValidationLab.Pipeline;
using ValidationLab.Reports.Html;
using ValidationLab.Suites.Longitudinal.Generator;

namespace ValidationLab.Benchmarks;

/// <summary>
/// The real pipeline on a generated cohort (<c>longitudinal-run-quick [patients] [days] [report]</c>): the seeded ward
/// cohort of <c>longitudinal-replay</c> (seed 7, plain NDJSON) in a temp folder; the floor (every line parsed with
/// <see cref="JsonDocument"/>, nothing else); then <see cref="EvaluationPipeline.RunAsync"/> exactly as
/// <c>validationlab run --suite longitudinal --data DIR --runner baseline --no-registry</c> configures it (NEWS2,
/// decision points every 4 h), writing results.json, items.jsonl and items.csv (and report.html with "report").
/// Prints both times, CPU and wall, their ratio, and the process's peak working set: run it once per cohort size
/// to see whether the peak follows the cohort.
/// </summary>
public static class LongitudinalRunQuick
{
    public static async Task RunAsync(TextWriter output, int patients, int days, bool report)
    {
        var folder = Path.Combine(Path.GetTempPath(), "vl-longitudinal-run-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            var data = Path.Combine(folder, "data");
            var cohort = CohortGenerator.Write(data, new GeneratorSettings { Patients = patients, Days = days, Seed = 7 });
            var bytes = cohort.Files.Sum(f => new FileInfo(f).Length);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"generated {cohort.Patients} patients x {days} days: {cohort.VitalPanels:N0} vital-sign panels, {cohort.LabResults:N0} labs, {bytes / 1e6:0} MB NDJSON"));

            GC.Collect();
            var (t0, c0) = (Stopwatch.GetTimestamp(), LongitudinalReplayBenchmark.Cpu());
            var lines = LongitudinalReplayBenchmark.Floor(cohort.Files);
            var (floor, floorCpu) = (Stopwatch.GetElapsedTime(t0).TotalSeconds, LongitudinalReplayBenchmark.Cpu() - c0);

            var catalog = PluginCatalog.Discover();
            var config = new ConfigLoader(catalog).Load(new RunOptions
            {
                Suite = "longitudinal",
                Data = data,
                Runner = "baseline",
                Out = Path.Combine(folder, "run"),
            });
            var options = new PipelineOptions { Exporters = report ? [new HtmlReportExporter()] : [] };
            GC.Collect();
            long peakHeap = 0, peakRss = 0;
            var phase = "";
            var peakPhase = "";
            long liveAnswered = 0;
            var progress = new PhaseSink(p =>
            {
                if (p == "scoring")
                {
                    // Once every item is answered and before aggregation: what the run holds for the whole cohort
                    // (the index, a compact result and an accounting record per decision point), after a full collection.
                    liveAnswered = GC.GetTotalMemory(forceFullCollection: true);
                }

                phase = p;
            });
            using var sampler = new Timer(_ =>
            {
                // Samples, not a hook: what the run holds (GC heap after the last collection) and what the process uses.
                var heap = GC.GetGCMemoryInfo().HeapSizeBytes;
                if (heap > peakHeap)
                {
                    (peakHeap, peakPhase) = (heap, phase);
                }

                peakRss = Math.Max(peakRss, Environment.WorkingSet);
            }, null, 0, 250);
            (t0, c0) = (Stopwatch.GetTimestamp(), LongitudinalReplayBenchmark.Cpu());
            var outcome = await new EvaluationPipeline(catalog).RunAsync(config, options with { Progress = progress }, CancellationToken.None).ConfigureAwait(false);
            var (run, runCpu) = (Stopwatch.GetElapsedTime(t0).TotalSeconds, LongitudinalReplayBenchmark.Cpu() - c0);

            var written = Directory.GetFiles(outcome.OutDirectory).Sum(f => new FileInfo(f).Length);
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"floor (JsonDocument.Parse of {lines:N0} lines): wall {floor:0.00} s, CPU {floorCpu:0.00} s; run ({outcome.Items.Count:N0} decision points, {written / 1e6:0} MB written{(report ? " with report.html" : "")}): wall {run:0.00} s, CPU {runCpu:0.00} s"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio run/floor: wall {run / floor:0.00}, CPU {runCpu / floorCpu:0.00}; peak working set {process.PeakWorkingSet64 / 1048576.0:0} MiB (sampled during the run {peakRss / 1048576.0:0} MiB); peak GC heap {peakHeap / 1048576.0:0} MiB (while {(peakPhase.Length == 0 ? "answering" : peakPhase)}); live after answering {liveAnswered / 1048576.0:0} MiB ({(double)liveAnswered / Math.Max(1, outcome.Items.Count):0} bytes per decision point); load average {LoadAverage()}"));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Hears the pipeline's phases (loading, scoring, writing), to say when the heap peaked.</summary>
    private sealed class PhaseSink(Action<string> phase) : IProgressSink
    {
        public void Phase(string name) => phase(name);

        public void RequestsStarted(int total) => phase("answering");

        public void RequestCompleted(Requests.ModelResponse response)
        {
        }

        public void RequestsFinished()
        {
        }

        public void Warning(string message)
        {
        }

        public void Retrying(string itemId, int attempt, TimeSpan delay, string reason)
        {
        }

        public void Status(string message)
        {
        }
    }
}
