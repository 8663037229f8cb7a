using System.CommandLine;
using ValidationLab.Cli.Registration;
using ValidationLab.Comparison;
using ValidationLab.Output;

namespace ValidationLab.Cli.Commands;

// RunsCommand: `runs export RUN_ID --out DIR` gives a run's registered files back byte for byte; `runs record DIR`
// records a run folder that `run` could not record (or one written before the registry existed).
internal static partial class RunsCommand
{
    private static Command Export(CliContext context)
    {
        var id = new Argument<string>("RUN_ID") { Description = "The run's id (validationlab runs list shows them)." };
        var output = new Option<string>("--out") { Description = "Folder to write the run's files into; must be new or empty unless --overwrite.", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Let --out name a folder that holds files: replace the run's files in it, keep every other file." };
        var store = StoreOption();
        var command = new Command("export", "Write a recorded run's files (results.json, items.jsonl, report.html, ...) into a folder, byte-identical to what the run wrote.")
        {
            id, output, overwrite, store,
        };
        command.SetAction(async (parse, ct) =>
        {
            var runId = parse.GetValue(id)!;
            var outDir = Path.GetFullPath(parse.GetValue(output)!);
            var replace = parse.GetValue(overwrite);
            using var opened = OpenExisting(parse.GetValue(store));
            Detail(opened, runId);
            RunWriter.CheckDestination(outDir, replace);
            var files = opened.Registry.ReadRunFiles(runId);

            // Like a run: everything goes to a temporary folder first, then into place, so a failure leaves no half export.
            var exists = Directory.Exists(outDir);
            var temp = exists ? Path.Combine(outDir, $".validationlab-tmp-export-{Guid.NewGuid():N}") : Path.Combine(Path.GetDirectoryName(outDir)!, $".{Path.GetFileName(outDir)}.tmp-export-{Guid.NewGuid():N}");
            try
            {
                foreach (var file in files)
                {
                    ct.ThrowIfCancellationRequested();
                    file.WriteTo(temp, overwrite: false);
                }

                if (!exists)
                {
                    Directory.Move(temp, outDir);
                }
                else
                {
                    foreach (var file in files)
                    {
                        var target = Path.Combine(outDir, file.Name);
                        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                        File.Move(Path.Combine(temp, file.Name), target, overwrite: true);
                    }
                }
            }
            finally
            {
                if (Directory.Exists(temp))
                {
                    Directory.Delete(temp, recursive: true);
                }
            }

            await context.Out.WriteLineAsync($"Exported run {runId} ({files.Count} files) to {outDir}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Record(CliContext context)
    {
        var dir = new Argument<string>("DIR") { Description = "A run folder (results.json, items.jsonl, ...)." };
        var store = StoreOption();
        var command = new Command("record", "Record a run folder in the run registry (a run that could not be recorded, or one made before the registry).") { dir, store };
        command.SetAction(async (parse, ct) =>
        {
            var run = LoadedRun.Load(parse.GetValue(dir)!);
            using var opened = Store.StoreFactory.Open(parse.GetValue(store));
            if (run.Result.Manifest.Shard is not null)
            {
                // A shard run is a member of its evaluation's sharded run, as `run --shard` would have recorded it.
                var shard = RunRegistrations.ShardFromFolder(run, failed: false, replace: false);
                opened.Registry.BeginShard(RunRegistrations.ShardStartFromFolder(run));
                opened.Registry.RecordShard(shard);
                await context.Out.WriteLineAsync($"Recorded shard run {shard.ShardRunId} ({shard.Files.Count} files, {shard.Items.Count} items) as shard {shard.Index} of sharded run {shard.RunId} in {opened.Description}").ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var registration = RunRegistrations.FromFolder(run);

            // Recording again replaces the run's facts: keep a promotion a gate already made.
            if (opened.Registry.GetRunDetail(registration.Run.RunId) is { Facts.Promoted: true })
            {
                registration = registration with { Run = registration.Run with { Promoted = true } };
            }

            opened.Registry.RecordResults(registration);
            await context.Out.WriteLineAsync($"Recorded run {run.Result.Manifest.RunId} ({registration.Files.Count} files, {registration.Items.Count} items) in {opened.Description}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
