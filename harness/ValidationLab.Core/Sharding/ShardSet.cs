using System.Globalization;
using System.Security.Cryptography;
using ValidationLab.Comparison;
using ValidationLab.Errors;
using ValidationLab.Output;
using ValidationLab.Results;

namespace ValidationLab.Sharding;

/// <summary>
/// The shard run folders of one evaluation, read and checked against each other before anything is merged: every
/// folder is a shard run, all belong to one evaluation (same evaluation key, shard count, suites, runner, data
/// files, seed, limit, harness), no shard is given twice and none is missing. The first problem found stops the
/// merge with a message naming the folders and the field that differ.
/// </summary>
public sealed class ShardSet
{
    private ShardSet(IReadOnlyList<LoadedRun> shards) => Shards = shards;

    /// <summary>The shard runs in shard-index order (index 0 first).</summary>
    public IReadOnlyList<LoadedRun> Shards { get; }

    /// <summary>What every shard shares: count and evaluation key.</summary>
    public ManifestShard First => Shards[0].Result.Manifest.Shard!;

    /// <summary>Path of the first shard's config.yaml: the evaluation's configuration plus <c>shard: "0/N"</c>.</summary>
    public string ConfigPath => Path.Combine(Shards[0].Directory, ConfigYamlExporter.File);

    public static ShardSet Load(IReadOnlyList<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        if (directories.Count == 0)
        {
            throw new InputException("give the shard run folders to merge", field: "SHARD_DIR");
        }

        var runs = new List<LoadedRun>();
        foreach (var directory in directories)
        {
            var run = LoadedRun.Load(directory);
            if (run.Result.Manifest.Shard is null)
            {
                throw new InputException("not a shard run: results.json has no manifest.shard (was it run with --shard I/N?)", Path.Combine(directory, "results.json"), field: "manifest.shard");
            }

            CheckConfigFile(run);
            runs.Add(run);
        }

        var first = runs[0];
        foreach (var other in runs.Skip(1))
        {
            if (Difference(first.Result.Manifest, other.Result.Manifest) is { } difference)
            {
                throw new InputException(
                    $"not a shard of the same evaluation as {Path.Combine(first.Directory, "results.json")}: {difference}",
                    Path.Combine(other.Directory, "results.json"));
            }
        }

        var byIndex = new SortedDictionary<int, LoadedRun>();
        foreach (var run in runs)
        {
            var index = run.Result.Manifest.Shard!.Index;
            if (!byIndex.TryAdd(index, run))
            {
                throw new InputException($"shard {index.ToString(CultureInfo.InvariantCulture)} is given twice: {byIndex[index].Directory} and {run.Directory}", run.Directory);
            }
        }

        var count = first.Result.Manifest.Shard!.Count;
        var missing = Enumerable.Range(0, count).Where(i => !byIndex.ContainsKey(i)).ToList();
        if (missing.Count > 0)
        {
            throw new InputException(
                $"missing shard(s) {string.Join(", ", missing.Select(i => $"{i.ToString(CultureInfo.InvariantCulture)}/{count.ToString(CultureInfo.InvariantCulture)}"))}: the evaluation has {count.ToString(CultureInfo.InvariantCulture)} shards and {runs.Count.ToString(CultureInfo.InvariantCulture)} were given",
                field: "SHARD_DIR");
        }

        return new ShardSet([.. byIndex.Values]);
    }

    /// <summary>The first way two shard manifests say they belong to different evaluations, or null.</summary>
    public static string? Difference(RunManifest a, RunManifest b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        static string Show(object? value) => value switch
        {
            null => "none",
            ManifestLimit l => $"{{count {l.Count.ToString(CultureInfo.InvariantCulture)}, sampled {(l.Sampled ? "true" : "false")}}}",
            int i => i.ToString(CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "none",
        };

        static string Differ(string field, object? x, object? y) => $"{field} differs ({Show(x)} vs {Show(y)})";

        if (a.Shard!.Count != b.Shard!.Count)
        {
            return Differ("manifest.shard.count", a.Shard.Count, b.Shard.Count);
        }

        if (a.Seed != b.Seed)
        {
            return Differ("manifest.seed", a.Seed, b.Seed);
        }

        if (a.Limit != b.Limit)
        {
            return Differ("manifest.limit", a.Limit, b.Limit);
        }

        if (a.Runner != b.Runner)
        {
            return a.Runner.ToString() != b.Runner.ToString()
                ? Differ("manifest.runner", a.Runner, b.Runner)
                : Differ("manifest.runner.fingerprint", a.Runner.Fingerprint, b.Runner.Fingerprint);
        }

        foreach (var file in a.DataFiles.Keys.Union(b.DataFiles.Keys).Order(StringComparer.Ordinal))
        {
            var x = a.DataFiles.GetValueOrDefault(file);
            var y = b.DataFiles.GetValueOrDefault(file);
            if (x != y)
            {
                return Differ($"manifest.data_files[\"{file}\"] (SHA-256)", x, y);
            }
        }

        if (a.HarnessVersion != b.HarnessVersion || a.HarnessCommit != b.HarnessCommit)
        {
            return Differ("manifest.harness_version/harness_commit", $"{a.HarnessVersion} {a.HarnessCommit}", $"{b.HarnessVersion} {b.HarnessCommit}");
        }

        // Last, as the catch-all: suites, their options, the runner's options, anything else config.yaml holds.
        if (a.Shard.EvaluationSha256 != b.Shard.EvaluationSha256)
        {
            return Differ("manifest.shard.evaluation_sha256 (the configuration without its shard: suites and runner options)", a.Shard.EvaluationSha256, b.Shard.EvaluationSha256);
        }

        return null;
    }

    /// <summary>config.yaml is what the merge rebuilds the suites from: it must be the file the shard ran with.</summary>
    private static void CheckConfigFile(LoadedRun run)
    {
        var path = Path.Combine(run.Directory, ConfigYamlExporter.File);
        if (!File.Exists(path))
        {
            throw new InputException("not a run folder: config.yaml is missing", run.Directory);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        if (sha != run.Result.Manifest.ConfigSha256)
        {
            throw new InputException($"config.yaml was changed after the run: its SHA-256 is {sha}, manifest.config_sha256 says {run.Result.Manifest.ConfigSha256}", path);
        }
    }
}
