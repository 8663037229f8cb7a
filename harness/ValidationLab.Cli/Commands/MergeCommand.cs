using System.CommandLine;
using ValidationLab.Cli.Display;
using ValidationLab.Reports.Html;
using ValidationLab.Sharding;

namespace ValidationLab.Cli.Commands;

/// <summary>
/// `validationlab merge --out DIR SHARD_DIR...`: combines the run folders of `run --shard I/N` into one run folder
/// (results.json, items.jsonl, items.csv, config.yaml, report.html) equal to the unsharded run's, refusing shards of
/// different evaluations, overlapping shards and missing shards or items (exit 2 naming the first one).
/// </summary>
internal static class MergeCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Folder the merged run is written to; must be new or empty unless --overwrite.", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Let --out name a folder that holds files: replace the run files in it, keep every other file." };
        var shards = new Argument<string[]>("SHARD_DIR") { Description = "The run folders of every shard (0 to N-1) of one evaluation, in any order.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge", "Combine the shard runs of one evaluation (run --shard I/N) into one run folder, re-aggregated as if run unsharded.")
        {
            output, overwrite, shards,
        };
        command.SetAction(async (parse, ct) =>
        {
            var merger = new ShardMerger(context.Registry.Value);
            var outcome = await merger.MergeAsync(parse.GetValue(shards)!, parse.GetValue(output)!, parse.GetValue(overwrite), [new HtmlReportExporter()], TimeProvider.System, ct).ConfigureAwait(false);
            var console = Terminal.Create(context);
            RunSummary.Write(console, outcome);
            if (!outcome.Succeeded)
            {
                await context.Error.WriteLineAsync($"run failed: {outcome.FailureReason}").ConfigureAwait(false);
                return ExitCodes.RunFailed;
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
