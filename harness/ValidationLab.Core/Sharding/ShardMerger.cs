using System.Globalization;
using System.Text.RegularExpressions;
using ValidationLab.Analysis.Slicing;
using ValidationLab.Comparison;
using ValidationLab.Configuration;
using ValidationLab.Discovery;
using ValidationLab.Errors;
using ValidationLab.Exporters;
using ValidationLab.Items;
using ValidationLab.Output;
using ValidationLab.Pipeline;
using ValidationLab.Results;
using ValidationLab.Suites;

namespace ValidationLab.Sharding;

/// <summary>
/// <c>validationlab merge</c>: combines the shard runs of one evaluation into the run the evaluation would have
/// produced unsharded. The suites are rebuilt from the shards' config.yaml (without its shard) and load their data
/// only to know the planned items and their order; the items' scores come from the shards unchanged, and the suite
/// metrics, intervals and slices are recomputed by the suites' own aggregation on all items at once (intervals of
/// shards cannot be combined, only recomputed). Every planned item must come from exactly the shard its hash names.
/// </summary>
public sealed partial class ShardMerger(PluginCatalog registry)
{
    private const int NamedAtMost = 5;

    public Task<RunOutcome> MergeAsync(IReadOnlyList<string> shardDirectories, string outDirectory, bool overwrite, IReadOnlyList<IRunExporter> exporters, TimeProvider clock, CancellationToken cancellationToken)
    {
        RunWriter.CheckDestination(Path.GetFullPath(outDirectory), overwrite);
        return MergeAsync(ShardSet.Load(shardDirectories), outDirectory, overwrite, exporters, clock, runId: null, cancellationToken);
    }

    /// <summary>
    /// Merges a loaded shard set. <paramref name="runId"/> is the merged run's id (the sharded run's id in the run
    /// registry, so the folder and the registry name the evaluation alike); null: a new time-based id.
    /// </summary>
    public async Task<RunOutcome> MergeAsync(ShardSet set, string outDirectory, bool overwrite, IReadOnlyList<IRunExporter> exporters, TimeProvider clock, string? runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(exporters);
        ArgumentNullException.ThrowIfNull(clock);
        var outDir = Path.GetFullPath(outDirectory);
        RunWriter.CheckDestination(outDir, overwrite);
        var config = WholeConfig(set);

        // The planned items, in the order the unsharded run evaluates them: suites in config order, items in file order.
        var suites = new List<(ISuite Suite, IReadOnlyList<EvalItem> Planned)>();
        foreach (var settings in config.Suites)
        {
            var suite = registry.Suite(settings.Name, settings.Origin, settings.Line).Create(settings);
            var loaded = await suite.LoadAsync(cancellationToken).ConfigureAwait(false);
            suites.Add((suite, ItemLimit.Apply(loaded, suite.Name, config.Run)));
        }

        var found = Collect(set);
        var items = new List<ItemResult>();
        var suiteResults = new SortedDictionary<string, SuiteResult>(StringComparer.Ordinal);
        var sliceInputs = new List<SliceInput>();
        var missing = new List<string>();
        var inUnfinished = new SortedDictionary<int, int>();
        var count = set.First.Count;
        foreach (var (suite, planned) in suites)
        {
            var scored = new List<ItemResult>(planned.Count);
            foreach (var item in planned)
            {
                var owner = ItemShard.IndexOf(suite.Name, item.Id, count);
                if (set.Unfinished.ContainsKey(owner))
                {
                    inUnfinished[owner] = inUnfinished.GetValueOrDefault(owner) + 1;
                    continue;
                }

                if (!found.Remove((suite.Name, item.Id), out var hit))
                {
                    missing.Add($"{suite.Name}/{item.Id} (shard {owner.ToString(CultureInfo.InvariantCulture)})");
                    continue;
                }

                if (hit.Shard != owner)
                {
                    throw new InputException(
                        $"item '{item.Id}' of suite '{suite.Name}' belongs to shard {owner.ToString(CultureInfo.InvariantCulture)}/{count.ToString(CultureInfo.InvariantCulture)} but is in the run of shard {hit.Shard.ToString(CultureInfo.InvariantCulture)}: overlapping shards",
                        Path.Combine(set.ByIndex(hit.Shard).Directory, "items.jsonl"), field: "item_id");
                }

                scored.Add(hit.Item);
            }

            items.AddRange(scored);
            suiteResults[suite.Name] = suite.Aggregate(scored);
            sliceInputs.Add(new SliceInput(suite, scored, suiteResults[suite.Name]));
        }

        if (set.Unfinished.Count > 0)
        {
            throw Unfinished(set, inUnfinished);
        }

        if (missing.Count > 0)
        {
            throw new InputException(
                $"{missing.Count.ToString(CultureInfo.InvariantCulture)} planned item(s) are in no shard run: {string.Join(", ", missing.Take(NamedAtMost))}{(missing.Count > NamedAtMost ? ", …" : "")} (did a shard run fail to finish, or were its items.jsonl edited?)",
                field: "SHARD_DIR");
        }

        if (found.Count > 0)
        {
            var ((suiteName, id), extra) = found.OrderBy(f => f.Value.Shard).ThenBy(f => f.Key.Item1, StringComparer.Ordinal).ThenBy(f => f.Key.Item2, StringComparer.Ordinal).First();
            throw new InputException(
                $"item '{id}' of suite '{suiteName}' is not among the items the evaluation plans (its data or limit differ from the shard's)",
                Path.Combine(set.ByIndex(extra.Shard).Directory, "items.jsonl"), field: "item_id");
        }

        var slices = config.Slices is { } sliceConfig ? SliceAnalyzer.Analyze(sliceConfig, sliceInputs, config.Seed) : null;
        var (warnings, failure) = Warnings(set, items, config.MaxErrorRate);
        var manifests = set.Shards.Select(s => s.Result.Manifest).ToList();
        var first = manifests[0];
        if ((HarnessInfo.Version, HarnessInfo.Commit) != (first.HarnessVersion, first.HarnessCommit))
        {
            warnings.Add($"the shards were run by harness {first.HarnessVersion} ({first.HarnessCommit ?? "no commit"}) and merged by {HarnessInfo.Version} ({HarnessInfo.Commit ?? "no commit"})");
        }

        var result = new RunResult
        {
            Manifest = new RunManifest
            {
                RunId = runId ?? EvaluationPipeline.NewRunId(clock.GetUtcNow()),
                StartedUtc = manifests.Min(m => m.StartedUtc),
                FinishedUtc = manifests.Max(m => m.FinishedUtc),
                HarnessVersion = first.HarnessVersion,
                HarnessCommit = first.HarnessCommit,
                HarnessTreeModified = manifests.Any(m => m.HarnessTreeModified),
                ConfigSha256 = config.ConfigSha256,
                DataFiles = first.DataFiles,
                Runner = first.Runner,
                Seed = first.Seed,
                Limit = first.Limit,
                Resumed = manifests.Any(m => m.Resumed),
                MergedFrom = [.. manifests.Select(m => m.RunId)],
            },
            Suites = suiteResults,
            Accounting = Accounting(set, items),
            Warnings = warnings,
            Slices = slices,
        };

        await RunWriter.WriteAsync(outDir, result, items, [new ConfigYamlExporter(config.EffectiveYaml), .. exporters], cancellationToken).ConfigureAwait(false);
        return new RunOutcome(result, items, outDir, failure);
    }

    /// <summary>The evaluation's configuration: the first shard's config.yaml without its shard, checked against the key every shard recorded.</summary>
    private EvalConfig WholeConfig(ShardSet set)
    {
        var sharded = new ConfigLoader(registry).Load(new RunOptions { ConfigFile = set.ConfigPath });
        var whole = sharded.Run with { Shard = null };
        var config = sharded with
        {
            Run = whole,
            Runner = sharded.Runner with { Run = whole },
            Suites = [.. sharded.Suites.Select(s => s with { Run = whole })],
        };
        if (config.ConfigSha256 != set.First.EvaluationSha256)
        {
            throw new InputException(
                $"this configuration without its shard hashes to {config.ConfigSha256}, not to the evaluation_sha256 {set.First.EvaluationSha256} the shards recorded (was the run made by another harness version?)",
                set.ConfigPath, field: "manifest.shard.evaluation_sha256");
        }

        return config;
    }

    /// <summary>Every shard's items by (suite, id); an item in two shard runs (or twice in one) is an overlap.</summary>
    private static Dictionary<(string, string), (ItemResult Item, int Shard)> Collect(ShardSet set)
    {
        var found = new Dictionary<(string, string), (ItemResult Item, int Shard)>();
        foreach (var (run, shard) in set.Shards.Select(r => (r, r.Result.Manifest.Shard!.Index)))
        {
            foreach (var item in run.Items)
            {
                if (!found.TryAdd((item.Suite, item.ItemId), (item, shard)))
                {
                    var other = found[(item.Suite, item.ItemId)].Shard;
                    throw new InputException(
                        $"item '{item.ItemId}' of suite '{item.Suite}' is in the runs of shard {other.ToString(CultureInfo.InvariantCulture)} and shard {shard.ToString(CultureInfo.InvariantCulture)}: overlapping shards ({set.ByIndex(other).Directory}, {run.Directory})",
                        Path.Combine(run.Directory, "items.jsonl"), field: "item_id");
                }
            }
        }

        return found;
    }

    /// <summary>The refusal of a merge from the registry with shards not finished: which, in what state, and how many planned items each holds.</summary>
    private static InputException Unfinished(ShardSet set, IReadOnlyDictionary<int, int> plannedIn)
    {
        var count = set.First.Count.ToString(CultureInfo.InvariantCulture);
        var shards = set.Unfinished.OrderBy(u => u.Key).Select(u =>
            $"shard {u.Key.ToString(CultureInfo.InvariantCulture)}/{count} ({u.Value}, {plannedIn.GetValueOrDefault(u.Key).ToString(CultureInfo.InvariantCulture)} planned item(s))").ToList();
        var total = plannedIn.Values.Sum().ToString(CultureInfo.InvariantCulture);
        return new InputException(
            $"{set.Source ?? "the sharded run"} is not complete: {shards.Count.ToString(CultureInfo.InvariantCulture)} of {count} shard(s) have not finished, {total} planned item(s) missing: {string.Join(", ", shards)} (run them, or --resume them, then merge again)",
            field: "--run");
    }

    /// <summary>
    /// The shards' warnings (each once, in shard order) without their own errored-item counts, then the merged
    /// count and failure under the same rules as a run: all items errored, or more than max_error_rate.
    /// </summary>
    private static (List<string> Warnings, string? Failure) Warnings(ShardSet set, IReadOnlyList<ItemResult> items, double? maxErrorRate)
    {
        var warnings = set.Shards.SelectMany(s => s.Result.Warnings).Where(w => !PerShardCount().IsMatch(w)).Distinct(StringComparer.Ordinal).ToList();
        var errored = items.Count(i => i.Status == ItemStatus.Errored);
        if (errored > 0)
        {
            warnings.Add($"{errored} of {items.Count} item(s) errored (no answer); they are excluded from accuracy, not scored as wrong");
        }

        string? failure = null;
        if (errored == items.Count)
        {
            var firstError = items.FirstOrDefault(i => i.Error is not null)?.Error;
            failure = $"no item could be scored: {(items.Count == 0 ? "no item was evaluated" : $"all {items.Count} items errored")}{(firstError is null ? "" : $" (first error: {firstError})")}";
            warnings.Add(failure);
        }
        else if (maxErrorRate is { } limit && (double)errored / items.Count > limit)
        {
            failure = string.Create(CultureInfo.InvariantCulture, $"{errored} of {items.Count} items errored ({(double)errored / items.Count:P1}), above max_error_rate {limit:P1}");
            warnings.Add(failure);
        }

        return (warnings, failure);
    }

    /// <summary>
    /// Counts and tokens are summed (what the shards spent together); latency percentiles are recomputed over the
    /// answered items' latencies; wall_seconds is the shards' summed worker time and items_per_second the items
    /// per second of it, so the throughput stays comparable with an unsharded run's.
    /// </summary>
    private static RunAccounting Accounting(ShardSet set, IReadOnlyList<ItemResult> items)
    {
        var parts = set.Shards.Select(s => s.Result.Accounting).ToList();
        var latencies = items.Where(i => i.Status != ItemStatus.Errored).Select(i => i.LatencyMs).Order().ToArray();
        var wall = parts.Sum(p => p.WallSeconds);
        var costs = parts.Where(p => p.Cost is not null).Select(p => p.Cost!.Value).ToList();
        return new RunAccounting
        {
            Requests = parts.Sum(p => p.Requests),
            CacheHits = parts.Sum(p => p.CacheHits),
            Retries = parts.Sum(p => p.Retries),
            ErroredRequests = parts.Sum(p => p.ErroredRequests),
            PromptTokens = parts.Sum(p => p.PromptTokens),
            CompletionTokens = parts.Sum(p => p.CompletionTokens),
            Cost = costs.Count == 0 ? null : costs.Sum(),
            LatencyP50Ms = RunAccountant.Percentile(latencies, 0.50),
            LatencyP95Ms = RunAccountant.Percentile(latencies, 0.95),
            LatencyP99Ms = RunAccountant.Percentile(latencies, 0.99),
            ItemsPerSecond = wall > 0 ? Math.Round(items.Count / wall, 3) : 0,
            WallSeconds = Math.Round(wall, 3),
        };
    }

    /// <summary>The errored-items and failure lines a shard run wrote about its own items (replaced by the merged ones).</summary>
    [GeneratedRegex(@"^(\d+ of \d+ item\(s\) errored \(no answer\)|\d+ of \d+ items errored \(|no item could be scored: )")]
    private static partial Regex PerShardCount();
}
