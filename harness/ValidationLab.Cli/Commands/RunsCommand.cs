using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using ValidationLab.Cli.Display;
using ValidationLab.Errors;
using ValidationLab.Store;

namespace ValidationLab.Cli.Commands;

/// <summary>
/// `validationlab runs list|show|export|record`: the run registry (docs/registry.md). Every finished run is recorded
/// there by `run` (its facts, metrics, items and files); these commands find runs again, show one, give its files
/// back byte for byte, and record a run folder that was not recorded.
/// </summary>
internal static partial class RunsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("runs", "The run registry: list and show recorded runs, re-export a run's files, record a run folder.");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Export(context));
        command.Subcommands.Add(Record(context));
        return command;
    }

    private static Option<string?> StoreOption() =>
        new("--store") { Description = "Run store: a SQLite file or a PostgreSQL connection string. Default .validationlab/store.db." };

    private static Command List(CliContext context)
    {
        var suite = new Option<string?>("--suite") { Description = "Only runs that evaluated this suite." };
        var model = new Option<string?>("--model") { Description = "Only runs of this model (exact name, as in the manifest)." };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only runs started at or after this UTC date or time (2026-12-01 or 2026-12-01T09:30Z).", CustomParser = Instant };
        var until = new Option<DateTimeOffset?>("--until") { Description = "Only runs started before this UTC date or time (a date alone means its start).", CustomParser = Instant };
        var promoted = new Option<bool>("--promoted") { Description = "Only runs a gate found promotable." };
        var json = new Option<bool>("--json") { Description = "Print the runs as a JSON array instead of a table." };
        var store = StoreOption();
        var command = new Command("list", "List recorded runs, newest first.") { suite, model, since, until, promoted, json, store };
        command.SetAction(async (parse, ct) =>
        {
            using var opened = OpenExisting(parse.GetValue(store));
            var runs = opened.Registry.ListRuns(new RunQuery
            {
                Suite = parse.GetValue(suite),
                Model = parse.GetValue(model),
                Since = parse.GetValue(since),
                Until = parse.GetValue(until),
                Promoted = parse.GetValue(promoted) ? true : null,
            });
            if (parse.GetValue(json))
            {
                var array = new JsonArray([.. runs.Select(r => (JsonNode)Summary(r))]);
                await context.Out.WriteLineAsync(array.ToJsonString(Indented)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var console = Wide(Terminal.Create(context), context);
            var table = new Table().Title(Markup.Escape($"{runs.Count} run(s) in {opened.Description}"))
                .AddColumn("run id").AddColumn("finished (UTC)").AddColumn("runner/model").AddColumn("suites")
                .AddColumn(new TableColumn("items").RightAligned()).AddColumn("gate").AddColumn("promoted");
            foreach (var r in runs)
            {
                table.AddRow(
                    Markup.Escape(r.Facts.RunId),
                    Markup.Escape(r.Shards is { Merged: false } p ? $"{p.Finished} of {p.Count} shards finished" : Utc(r.Facts.FinishedUtc)),
                    Markup.Escape($"{r.Facts.Runner}/{r.Facts.Model}"),
                    Markup.Escape(string.Join(", ", r.Facts.Suites)),
                    r.ItemCount.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(r.LatestVerdict ?? "-"),
                    r.Facts.Promoted ? "[green]yes[/]" : "no");
            }

            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Opens a store that must already exist (reading commands never create one).</summary>
    internal static IRunStore OpenExisting(string? store)
    {
        var spec = StoreSpec.Parse(store, Directory.GetCurrentDirectory());
        if (!spec.Exists)
        {
            throw new InputException("there is no run registry here (validationlab run records runs in it); pass --store", spec.Description, field: "--store");
        }

        return StoreFactory.Open(spec);
    }

    /// <summary>A run's entry in `runs list --json` and the "run" object of `runs show --json`.</summary>
    private static JsonObject Facts(RunFacts f) => new()
    {
        ["run_id"] = f.RunId,
        ["runner"] = f.Runner,
        ["model"] = f.Model,
        ["suites"] = new JsonArray([.. f.Suites.Select(s => (JsonNode)JsonValue.Create(s))]),
        ["seed"] = f.Seed,
        ["started_utc"] = Iso(f.StartedUtc),
        ["finished_utc"] = Iso(f.FinishedUtc),
        ["config_sha256"] = f.ConfigSha256,
        ["harness_commit"] = f.HarnessCommit,
        ["promoted"] = f.Promoted,
    };

    private static JsonObject Summary(Store.RunSummary r)
    {
        var o = Facts(r.Facts);
        o["items"] = r.ItemCount;
        o["gate"] = r.LatestVerdict;
        if (r.Shards is { } shards)
        {
            o["shards"] = new JsonObject { ["count"] = shards.Count, ["finished"] = shards.Finished, ["merged"] = shards.Merged };
        }

        return o;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Utc(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Tables of run ids and hashes read badly wrapped at 80 columns: when the output is not a terminal, give them room.</summary>
    private static IAnsiConsole Wide(IAnsiConsole console, CliContext context)
    {
        if (context.Plain)
        {
            console.Profile.Width = Math.Max(console.Profile.Width, 160);
        }

        return console;
    }

    /// <summary>"2026-12-01" (midnight UTC) or an ISO 8601 time; a time without an offset is UTC.</summary>
    private static DateTimeOffset? Instant(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        result.AddError($"{(result.Parent as OptionResult)?.Option.Name}: '{text}' is not a date or time (use 2026-12-01 or 2026-12-01T09:30:00Z)");
        return null;
    }
}
