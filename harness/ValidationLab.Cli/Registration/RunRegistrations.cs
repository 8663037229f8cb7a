using System.Text.Json;
using ValidationLab.Comparison;
using ValidationLab.Exporters;
using ValidationLab.Results;
using ValidationLab.Store;

namespace ValidationLab.Cli.Registration;

/// <summary>
/// What the run registry keeps of a finished run, built from the run folder as written (so the registry holds the
/// bytes the user has, and <c>runs export</c> gives them back identically), and the registry's rows turned back into
/// what a report's trend chart shows.
/// </summary>
internal static class RunRegistrations
{
    /// <summary>The facts, metrics, items and files of the run in <paramref name="run"/>'s folder.</summary>
    public static RunRegistration FromFolder(LoadedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var manifest = run.Result.Manifest;
        var facts = new RunFacts
        {
            RunId = manifest.RunId,
            Suites = [.. run.Result.Suites.Keys],
            Model = manifest.Runner.Model,
            Runner = manifest.Runner.Runner,
            Seed = manifest.Seed,
            StartedUtc = manifest.StartedUtc,
            FinishedUtc = manifest.FinishedUtc,
            ConfigSha256 = manifest.ConfigSha256,
            HarnessCommit = manifest.HarnessCommit,
        };
        var metrics = run.Result.Suites
            .SelectMany(s => s.Value.Metrics.Select(m => new MetricRow(s.Key, m.Key, Finite(m.Value.Value), Finite(m.Value.CiLow), Finite(m.Value.CiHigh), m.Value.N, m.Value.Clusters)))
            .ToList();
        return new RunRegistration
        {
            Run = facts,
            Metrics = metrics,
            Items = new ItemLines(run),
            Files = Files(run.Directory),
        };
    }

    /// <summary>The sharded run a shard run of <paramref name="manifest"/> records into (null when it is not a shard run).</summary>
    public static string? ShardedRunId(RunManifest manifest) =>
        manifest.Shard is { } shard ? ShardedRun.IdFor(shard.EvaluationSha256, shard.Count) : null;

    /// <summary>
    /// The start of the shard run in <paramref name="run"/>'s folder (as <c>runs record</c> records one that the run
    /// itself could not): the sharded run's facts are the shard's, with the evaluation's key as its config.
    /// </summary>
    public static ShardStart ShardStartFromFolder(LoadedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var manifest = run.Result.Manifest;
        var shard = manifest.Shard ?? throw new ArgumentException("not a shard run", nameof(run));
        var facts = FromFolder(run).Run with { RunId = ShardedRun.IdFor(shard.EvaluationSha256, shard.Count), ConfigSha256 = shard.EvaluationSha256 };
        return new ShardStart(facts.RunId, shard.Index, shard.Count, shard.EvaluationSha256, manifest.RunId, facts);
    }

    /// <summary>The items and files of the shard run in <paramref name="run"/>'s folder, as its sharded run records them.</summary>
    public static ShardRegistration ShardFromFolder(LoadedRun run, bool failed, bool replace)
    {
        ArgumentNullException.ThrowIfNull(run);
        var manifest = run.Result.Manifest;
        var shard = manifest.Shard ?? throw new ArgumentException("not a shard run", nameof(run));
        return new ShardRegistration
        {
            RunId = ShardedRun.IdFor(shard.EvaluationSha256, shard.Count),
            Index = shard.Index,
            ShardRunId = manifest.RunId,
            Failed = failed,
            Replace = replace,
            Items = [.. new ItemLines(run)], // a shard's rows are compared with a recorded attempt's by position
            Files = Files(run.Directory),
        };
    }

    /// <summary>
    /// The files a run writes (<see cref="Output.RunWriter.RunFiles"/>) and the governance files kept beside them
    /// (comparison, gate verdict, sign-off mirror, model card), those present. Other files in the folder are the
    /// user's (attachments, notes) and are not copied into the registry.
    /// </summary>
    public static IReadOnlyList<RunFile> Files(string directory) =>
        Output.RunWriter.RunFiles.Concat(EvidenceFiles)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(name => (name, path: Path.Combine(directory, name)))
            .Where(f => File.Exists(f.path))
            .Select(f => RunFile.FromPath(f.name, f.path))
            .ToList();

    private static readonly string[] EvidenceFiles =
    [
        Governance.Evidence.Comparison, Governance.Evidence.Gate, Governance.Evidence.GateHistory, Governance.Evidence.Signoffs,
        "gate.junit.xml", "gate.md", "model-card.json",
    ];

    /// <summary>
    /// The registry rows of earlier runs of the same runner and model on the run's suites, as the trend chart reads
    /// them: runs that finished before <paramref name="run"/> started (so the list is fixed once the run has begun).
    /// </summary>
    public static IReadOnlyList<ReportHistoryPoint> History(IRunRegistry registry, RunManifest run, IEnumerable<string> suites, int maxRuns = MaxEarlierRuns)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(run);
        var wanted = suites.ToHashSet(StringComparer.Ordinal);
        var points = new List<ReportHistoryPoint>();
        var taken = 0;

        // Newest first: the chart shows the latest earlier runs, which are the ones a reviewer compares with.
        foreach (var summary in registry.ListRuns(new RunQuery { Model = run.Runner.Model, Until = run.StartedUtc }))
        {
            var facts = summary.Facts;
            // A sharded run not merged yet has no metrics: it is not an earlier result, and takes no place on the chart.
            if (facts.RunId == run.RunId || facts.Runner != run.Runner.Runner || facts.FinishedUtc >= run.StartedUtc || !facts.Suites.Any(wanted.Contains)
                || summary.Shards is { Merged: false })
            {
                continue;
            }

            if (taken++ == maxRuns)
            {
                break;
            }

            // The metric rows alone when the registry can read them so (both backends can): a run's detail holds its items.
            var metrics = registry is IRunMetricsReader reader ? reader.ReadMetrics(facts.RunId) : registry.GetRunDetail(facts.RunId)?.Metrics ?? [];
            points.AddRange(metrics
                .Where(m => wanted.Contains(m.Suite))
                .Select(m => new ReportHistoryPoint(facts.RunId, facts.FinishedUtc, m.Suite, m.Metric, m.Value, m.Lower, m.Upper, m.N, MethodOf(m))));
        }

        return points;
    }

    /// <summary>How many earlier runs the trend shows at most (the newest ones).</summary>
    public const int MaxEarlierRuns = 12;

    private static string MethodOf(MetricRow row) => row.Lower is null ? "" : "95% CI";

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    /// <summary>
    /// One row per line of items.jsonl, the line kept verbatim; the queryable columns from the parsed item. Read as the
    /// registry inserts them, one line at a time (a run's items.jsonl can be gigabytes: collecting its lines as strings
    /// held them all at once), and again from the file whenever enumerated again.
    /// </summary>
    internal sealed class ItemLines(LoadedRun run) : IReadOnlyCollection<ItemRow>
    {
        public int Count => run.Items.Count;

        public IEnumerator<ItemRow> GetEnumerator()
        {
            var path = Path.Combine(run.Directory, "items.jsonl");
            var index = 0;
            foreach (var line in File.ReadLines(path))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (index == run.Items.Count)
                {
                    throw new InvalidDataException($"{path} has more lines than the run's {run.Items.Count} item(s)");
                }

                var item = run.Items[index++];
                var status = JsonNamingPolicy.SnakeCaseLower.ConvertName(item.Status.ToString());
                yield return new ItemRow(item.Suite, item.ItemId, status, item.Correct, Finite(item.Score), item.Label, item.ClusterId, line);
            }

            if (index != run.Items.Count)
            {
                throw new InvalidDataException($"{path} has {index} line(s) for the run's {run.Items.Count} item(s)");
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
