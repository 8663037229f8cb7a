using System.CommandLine;
using ValidationLab.Cli.Display;
using ValidationLab.Cli.Registration;
using ValidationLab.Comparison;
using ValidationLab.Reports.Html;
using ValidationLab.Sharding;

namespace ValidationLab.Cli.Commands;

/// <summary>
/// `validationlab merge --out DIR SHARD_DIR...`: combines the run folders of `run --shard I/N` into one run folder
/// (results.json, items.jsonl, items.csv, config.yaml, report.html) equal to the unsharded run's, refusing shards of
/// different evaluations, overlapping shards and missing shards or items (exit 2 naming the first one). The merged
/// run is recorded in the run registry like any finished run (the shards' store, or --store), so the evaluation is
/// one run there too; the store is opened before the merge, so a bad --store stops it with nothing written.
/// </summary>
internal static class MergeCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Folder the merged run is written to; must be new or empty unless --overwrite.", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Let --out name a folder that holds files: replace the run files in it, keep every other file." };
        var store = new Option<string?>("--store") { Description = "Run store the merged run is recorded in: a SQLite file or a PostgreSQL connection string. Default .validationlab/store.db." };
        var noRegistry = new Option<bool>("--no-registry") { Description = "Do not record the merged run in the run registry." };
        var shards = new Argument<string[]>("SHARD_DIR") { Description = "The run folders of every shard (0 to N-1) of one evaluation, in any order.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge", "Combine the shard runs of one evaluation (run --shard I/N) into one run folder, re-aggregated as if run unsharded.")
        {
            output, overwrite, store, noRegistry, shards,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var opened = parse.GetValue(noRegistry) ? null : Store.StoreFactory.Open(parse.GetValue(store));
            var merger = new ShardMerger(context.Registry.Value);
            var outcome = await merger.MergeAsync(parse.GetValue(shards)!, parse.GetValue(output)!, parse.GetValue(overwrite), [new HtmlReportExporter()], TimeProvider.System, ct).ConfigureAwait(false);
            var console = Terminal.Create(context);
            RunSummary.Write(console, outcome);
            if (!outcome.Succeeded)
            {
                await context.Error.WriteLineAsync($"run failed: {outcome.FailureReason}").ConfigureAwait(false);
                return ExitCodes.RunFailed;
            }

            return opened is null ? ExitCodes.Success : await RecordAsync(context, opened, outcome).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Records the merged run; when that fails the merged folder stays complete and the message says how to record it later.</summary>
    private static async Task<int> RecordAsync(CliContext context, Store.IRunStore opened, Pipeline.RunOutcome outcome)
    {
        try
        {
            opened.Registry.RecordResults(RunRegistrations.FromFolder(new LoadedRun(outcome.OutDirectory, outcome.Result, outcome.Items)));
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await context.Error.WriteLineAsync($"error: merged run {outcome.Result.Manifest.RunId} was not recorded in the run registry ({opened.Description}): {ex.Message}").ConfigureAwait(false);
            await context.Error.WriteLineAsync($"its results are complete in {outcome.OutDirectory}; record them later with: validationlab runs record \"{outcome.OutDirectory}\" --store <the same store>").ConfigureAwait(false);
            return ExitCodes.RunFailed;
        }
    }
}
