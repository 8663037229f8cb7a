using System.CommandLine;
using System.Globalization;
using ValidationLab.Cli.Display;
using ValidationLab.Cli.Registration;
using ValidationLab.Comparison;
using ValidationLab.Errors;
using ValidationLab.Output;
using ValidationLab.Reports.Html;
using ValidationLab.Sharding;

namespace ValidationLab.Cli.Commands;

/// <summary>
/// `validationlab merge --out DIR (--run RUN_ID | --config FILE | SHARD_DIR...)`: combines the shards of one evaluation into one run
/// folder (results.json, items.jsonl, items.csv, config.yaml, report.html) equal to the unsharded run's. With --run
/// the shards come from the run registry alone — every shard recorded itself into the evaluation's sharded run — so
/// no shard folder is needed (--config finds that run from the config file the shards ran, as a cluster's merge Job
/// must); otherwise from the shard run folders. Shards of different evaluations, overlapping
/// shards and missing or unfinished shards or items are refused (exit 2 naming the first one). The merged run takes
/// the sharded run's id and is recorded in it (the store is opened before the merge, so a bad --store stops it with
/// nothing written).
/// </summary>
internal static class MergeCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Folder the merged run is written to; must be new or empty unless --overwrite.", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Let --out name a folder that holds files: replace the run files in it, keep every other file." };
        var run = new Option<string?>("--run") { Description = "Merge the sharded run with this id from the run registry (runs list shows it; every shard prints it), instead of shard folders." };
        var config = new Option<string?>("--config") { Description = "Merge the sharded run of this config file from the run registry (the shards ran `run --config FILE --shard I/N`), instead of --run: for a cluster's merge Job, which cannot know the run id." };
        var store = new Option<string?>("--store") { Description = "Run store the shards are read from (--run) and the merged run is recorded in: a SQLite file or a PostgreSQL connection string. Default .validationlab/store.db." };
        var noRegistry = new Option<bool>("--no-registry") { Description = "Do not record the merged run in the run registry." };
        var shards = new Argument<string[]>("SHARD_DIR") { Description = "The run folders of every shard (0 to N-1) of one evaluation, in any order (not with --run).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("merge", "Combine the shard runs of one evaluation (run --shard I/N) into one run folder, re-aggregated as if run unsharded.")
        {
            output, overwrite, run, config, store, noRegistry, shards,
        };
        command.SetAction(async (parse, ct) =>
        {
            var folders = parse.GetValue(shards) ?? [];
            var runId = parse.GetValue(run);
            var configFile = parse.GetValue(config);
            if (new[] { runId is not null, configFile is not null, folders.Length > 0 }.Count(given => given) > 1)
            {
                throw new InputException("give one of --run or --config (merge from the run registry) or shard folders, not several", field: runId is null ? "--config" : "--run");
            }

            if (runId is null && configFile is null && folders.Length == 0)
            {
                throw new InputException("give the shard run folders to merge, or --run RUN_ID (or --config FILE) to merge a sharded run from the run registry", field: "SHARD_DIR");
            }

            var outDir = Path.GetFullPath(parse.GetValue(output)!);
            using var opened = runId is not null || configFile is not null ? RunsCommand.OpenExisting(parse.GetValue(store))
                : parse.GetValue(noRegistry) ? null : Store.StoreFactory.Open(parse.GetValue(store));
            if (configFile is not null)
            {
                runId = ShardedRunOf(context, opened!, configFile);
            }

            RunWriter.CheckDestination(outDir, parse.GetValue(overwrite));
            var merger = new ShardMerger(context.Registry.Value);
            Pipeline.RunOutcome outcome;
            if (runId is not null)
            {
                using var exported = RegistryShardFolders.Export(opened!, runId);
                outcome = await merger.MergeAsync(exported.Set, outDir, parse.GetValue(overwrite), [new HtmlReportExporter()], TimeProvider.System, runId, ct).ConfigureAwait(false);
            }
            else
            {
                var set = ShardSet.Load(folders);
                outcome = await merger.MergeAsync(set, outDir, parse.GetValue(overwrite), [new HtmlReportExporter()], TimeProvider.System, Store.ShardedRun.IdFor(set.First.EvaluationSha256, set.First.Count), ct).ConfigureAwait(false);
            }

            var console = Terminal.Create(context);
            RunSummary.Write(console, outcome);
            if (!outcome.Succeeded)
            {
                await context.Error.WriteLineAsync($"run failed: {outcome.FailureReason}").ConfigureAwait(false);
                return ExitCodes.RunFailed;
            }

            return opened is null || parse.GetValue(noRegistry) ? ExitCodes.Success : await RecordAsync(context, opened, outcome).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// The sharded run the shards of <paramref name="configFile"/> recorded into: its evaluation key is the config as
    /// `run --config FILE` loads it, without a shard. One per shard count; several counts: the user picks with --run.
    /// </summary>
    private static string ShardedRunOf(CliContext context, Store.IRunStore opened, string configFile)
    {
        var config = new Configuration.ConfigLoader(context.Registry.Value).Load(new Configuration.RunOptions { ConfigFile = configFile });
        var key = config.EvaluationSha256;
        var runs = opened.Registry.ListRuns(Store.RunQuery.All).Where(r => r.Shards is not null && r.Facts.ConfigSha256 == key).ToList();
        return runs.Count switch
        {
            1 => runs[0].Facts.RunId,
            0 => throw new InputException($"no sharded run of this configuration (evaluation key {key}) in the run registry {opened.Description}: did its shards run with this config file, no other flags, and this --store?", configFile, field: "--config"),
            _ => throw new InputException($"several sharded runs of this configuration in {opened.Description}: {string.Join(", ", runs.Select(r => $"{r.Facts.RunId} ({r.Shards!.Count} shards)"))}; pick one with --run", configFile, field: "--config"),
        };
    }

    /// <summary>Records the merged run; when that fails the merged folder stays complete and the message says how to record it later.</summary>
    private static async Task<int> RecordAsync(CliContext context, Store.IRunStore opened, Pipeline.RunOutcome outcome)
    {
        try
        {
            var registration = RunRegistrations.FromFolder(new LoadedRun(outcome.OutDirectory, outcome.Result, outcome.Items));

            // Merging again replaces the merged results: keep a promotion a gate already made.
            if (opened.Registry.GetRunDetail(registration.Run.RunId) is { Facts.Promoted: true })
            {
                registration = registration with { Run = registration.Run with { Promoted = true } };
            }

            opened.Registry.RecordResults(registration);
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await context.Error.WriteLineAsync($"error: merged run {outcome.Result.Manifest.RunId} was not recorded in the run registry ({opened.Description}): {ex.Message}").ConfigureAwait(false);
            await context.Error.WriteLineAsync($"its results are complete in {outcome.OutDirectory}; record them later with: validationlab runs record \"{outcome.OutDirectory}\" --store <the same store>").ConfigureAwait(false);
            return ExitCodes.RunFailed;
        }
    }

    /// <summary>
    /// The finished shards of a sharded run re-exported from the registry, byte for byte, into a temporary folder
    /// (deleted on dispose) and loaded as a shard set named "registry:RUN_ID/shard-I" in messages; the shards not
    /// finished go with it, so that the merge names them and the planned items they hold.
    /// </summary>
    private sealed class RegistryShardFolders : IDisposable
    {
        private readonly string _temp;

        private RegistryShardFolders(string temp, ShardSet set)
        {
            _temp = temp;
            Set = set;
        }

        public ShardSet Set { get; }

        public static RegistryShardFolders Export(Store.IRunStore opened, string runId)
        {
            var shards = opened.Registry.ReadShards(runId);
            if (shards.Count == 0)
            {
                throw new InputException(
                    opened.Registry.GetRunDetail(runId) is null
                        ? $"there is no run '{runId}' in the run registry {opened.Description} (validationlab runs list shows the ids)"
                        : $"run '{runId}' in {opened.Description} is not a sharded run: no shard recorded itself into it",
                    field: "--run");
            }

            var count = shards[0].Count;
            var unfinished = new SortedDictionary<int, string>();
            for (var i = 0; i < count; i++)
            {
                var status = shards.FirstOrDefault(s => s.Index == i);
                if (status is not { Finished: true })
                {
                    unfinished[i] = status?.Status ?? "not started";
                }
            }

            var source = $"sharded run {runId} in {opened.Description}";
            if (unfinished.Count == count)
            {
                throw new InputException(
                    $"{source} has no finished shard yet: {string.Join(", ", unfinished.Select(u => $"shard {u.Key.ToString(CultureInfo.InvariantCulture)}/{count.ToString(CultureInfo.InvariantCulture)} ({u.Value})"))}",
                    field: "--run");
            }

            var temp = Path.Combine(Path.GetTempPath(), $"validationlab-merge-{Guid.NewGuid():N}");
            try
            {
                var folders = new List<ShardFolder>();
                foreach (var shard in shards.Where(s => s.Finished))
                {
                    var folder = Path.Combine(temp, $"shard-{shard.Index.ToString(CultureInfo.InvariantCulture)}");
                    foreach (var file in opened.Registry.ReadShardFiles(runId, shard.Index))
                    {
                        file.WriteTo(folder, overwrite: false);
                    }

                    folders.Add(new ShardFolder(folder, $"registry:{runId}/shard-{shard.Index.ToString(CultureInfo.InvariantCulture)}"));
                }

                return new RegistryShardFolders(temp, ShardSet.Load(folders, new RegistryShards(source, unfinished)));
            }
            catch
            {
                Delete(temp);
                throw;
            }
        }

        public void Dispose() => Delete(_temp);

        private static void Delete(string folder)
        {
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
                // A temporary copy left behind is harmless; failing the merge over it would not be.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
