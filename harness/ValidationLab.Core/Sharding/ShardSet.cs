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
    private readonly string _configPath;

    private ShardSet(IReadOnlyList<LoadedRun> shards, string configPath, IReadOnlyDictionary<int, string> unfinished, string? source)
    {
        Shards = shards;
        _configPath = configPath;
        Unfinished = unfinished;
        Source = source;
    }

    /// <summary>The shard runs in shard-index order (lowest index first); every index when <see cref="Unfinished"/> is empty.</summary>
    public IReadOnlyList<LoadedRun> Shards { get; }

    /// <summary>What every shard shares: count and evaluation key.</summary>
    public ManifestShard First => Shards[0].Result.Manifest.Shard!;

    /// <summary>Path of the first shard's config.yaml: the evaluation's configuration plus <c>shard: "I/N"</c>.</summary>
    public string ConfigPath => _configPath;

    /// <summary>
    /// The shards a merge from the run registry found not finished, by index, with their state ("running", "failed",
    /// "not started"); the merge refuses them naming how many planned items each holds. Empty for folders.
    /// </summary>
    public IReadOnlyDictionary<int, string> Unfinished { get; }

    /// <summary>Where the shards came from, for messages ("sharded run ID in STORE"); null for folders.</summary>
    public string? Source { get; }

    /// <summary>The shard run of index <paramref name="index"/>.</summary>
    public LoadedRun ByIndex(int index) => Shards.First(s => s.Result.Manifest.Shard!.Index == index);

    public static ShardSet Load(IReadOnlyList<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        return Load([.. directories.Select(d => new ShardFolder(d))], null);
    }

    /// <summary>
    /// Loads shard folders. With <paramref name="registry"/> (a merge from the run registry: folders re-exported from
    /// the store, labelled in messages) the shards it names unfinished may be absent; any other absent shard is refused.
    /// </summary>
    public static ShardSet Load(IReadOnlyList<ShardFolder> folders, RegistryShards? registry)
    {
        ArgumentNullException.ThrowIfNull(folders);
        if (folders.Count == 0)
        {
            throw new InputException("give the shard run folders to merge", field: "SHARD_DIR");
        }

        var runs = new List<(LoadedRun Run, string ConfigPath)>();
        foreach (var folder in folders)
        {
            var run = LoadedRun.Load(folder.Directory);
            if (run.Result.Manifest.Shard is null)
            {
                throw new InputException("not a shard run: results.json has no manifest.shard (was it run with --shard I/N?)", Path.Combine(folder.Label ?? folder.Directory, "results.json"), field: "manifest.shard");
            }

            CheckConfigFile(run, folder.Label);
            runs.Add((folder.Label is { } label ? run with { Directory = label } : run, Path.Combine(folder.Directory, ConfigYamlExporter.File)));
        }

        var first = runs[0].Run;
        foreach (var (other, _) in runs.Skip(1))
        {
            if (Difference(first.Result.Manifest, other.Result.Manifest) is { } difference)
            {
                throw new InputException(
                    $"not a shard of the same evaluation as {Path.Combine(first.Directory, "results.json")}: {difference}",
                    Path.Combine(other.Directory, "results.json"));
            }
        }

        var byIndex = new SortedDictionary<int, (LoadedRun Run, string ConfigPath)>();
        foreach (var entry in runs)
        {
            var index = entry.Run.Result.Manifest.Shard!.Index;
            if (!byIndex.TryAdd(index, entry))
            {
                throw new InputException($"shard {index.ToString(CultureInfo.InvariantCulture)} is given twice: {byIndex[index].Run.Directory} and {entry.Run.Directory}", entry.Run.Directory);
            }
        }

        var count = first.Result.Manifest.Shard!.Count;
        var unfinished = registry?.Unfinished ?? new Dictionary<int, string>();
        var missing = Enumerable.Range(0, count).Where(i => !byIndex.ContainsKey(i) && !unfinished.ContainsKey(i)).ToList();
        if (missing.Count > 0)
        {
            throw new InputException(
                $"missing shard(s) {string.Join(", ", missing.Select(i => $"{i.ToString(CultureInfo.InvariantCulture)}/{count.ToString(CultureInfo.InvariantCulture)}"))}: the evaluation has {count.ToString(CultureInfo.InvariantCulture)} shards and {runs.Count.ToString(CultureInfo.InvariantCulture)} were given",
                field: "SHARD_DIR");
        }

        var ordered = byIndex.Values.ToList();
        return new ShardSet([.. ordered.Select(e => e.Run)], ordered[0].ConfigPath, unfinished, registry?.Source);
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
    private static void CheckConfigFile(LoadedRun run, string? label)
    {
        var path = Path.Combine(run.Directory, ConfigYamlExporter.File);
        var named = Path.Combine(label ?? run.Directory, ConfigYamlExporter.File);
        if (!File.Exists(path))
        {
            throw new InputException("not a run folder: config.yaml is missing", label ?? run.Directory);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        if (sha != run.Result.Manifest.ConfigSha256)
        {
            throw new InputException($"config.yaml was changed after the run: its SHA-256 is {sha}, manifest.config_sha256 says {run.Result.Manifest.ConfigSha256}", named);
        }
    }
}
