using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using ValidationLab.Cli.Display;
using ValidationLab.Errors;
using ValidationLab.Output;
using ValidationLab.Results;
using ValidationLab.Store;

namespace ValidationLab.Cli.Commands;

// RunsCommand: `runs show RUN_ID`: manifest facts, every metric with its interval, n and method, the gate verdicts,
// the sign-offs, the comparisons and the registered files.
internal static partial class RunsCommand
{
    private static Command Show(CliContext context)
    {
        var id = new Argument<string>("RUN_ID") { Description = "The run's id (validationlab runs list shows them)." };
        var json = new Option<bool>("--json") { Description = "Print the run as a JSON object instead of tables." };
        var store = StoreOption();
        var command = new Command("show", "Show a recorded run: manifest facts, metrics with intervals, gate verdict, sign-offs.") { id, json, store };
        command.SetAction(async (parse, ct) =>
        {
            var runId = parse.GetValue(id)!;
            using var opened = OpenExisting(parse.GetValue(store));
            var detail = Detail(opened, runId);
            var metrics = Metrics(opened.Registry, detail);
            var signoffs = opened.Registry.ReadSignoffs(runId);
            if (parse.GetValue(json))
            {
                var o = new JsonObject
                {
                    ["run"] = Facts(detail.Facts),
                    ["metrics"] = new JsonArray([.. metrics.Select(m => (JsonNode)new JsonObject
                    {
                        ["suite"] = m.Suite, ["metric"] = m.Metric, ["value"] = m.Value.Value, ["ci_low"] = m.Value.CiLow, ["ci_high"] = m.Value.CiHigh,
                        ["n"] = m.Value.N, ["clusters"] = m.Value.Clusters, ["method"] = m.Value.Method,
                    })]),
                    ["gate_verdicts"] = new JsonArray([.. detail.GateVerdicts.Select(g => (JsonNode)new JsonObject
                    {
                        ["evaluated_utc"] = Iso(g.EvaluatedUtc), ["verdict"] = g.Verdict, ["promotable"] = g.Promotable, ["policy_sha256"] = g.PolicySha256, ["gate_sha256"] = g.Sha256,
                    })]),
                    ["signoffs"] = new JsonArray([.. signoffs.Select(s => (JsonNode)new JsonObject
                    {
                        ["seq"] = s.Seq, ["signed_utc"] = s.SignedUtc, ["signer"] = s.Signer, ["role"] = s.Role, ["decision"] = s.Decision, ["meaning"] = s.Meaning, ["record_hash"] = s.RecordHash,
                    })]),
                    ["comparisons"] = new JsonArray([.. detail.Comparisons.Select(c => (JsonNode)new JsonObject
                    {
                        ["candidate_run_id"] = c.CandidateRunId, ["baseline_run_id"] = c.BaselineRunId, ["compared_utc"] = Iso(c.ComparedUtc), ["comparison_sha256"] = c.Sha256,
                    })]),
                    ["files"] = new JsonArray([.. detail.Files.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["bytes"] = f.Length, ["sha256"] = f.Sha256 })]),
                };
                if (detail.Shards.Count > 0)
                {
                    o["shards"] = new JsonArray([.. detail.Shards.Select(s => (JsonNode)new JsonObject
                    {
                        ["index"] = s.Index, ["count"] = s.Count, ["status"] = s.Status, ["shard_run_id"] = s.ShardRunId, ["items"] = s.ItemCount,
                        ["started_utc"] = Iso(s.StartedUtc), ["finished_utc"] = s.FinishedUtc is { } end ? Iso(end) : null,
                    })]);
                }

                await context.Out.WriteLineAsync(o.ToJsonString(Indented)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            Print(Wide(Terminal.Create(context), context), detail, metrics, signoffs);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The run's registry entry; an id the registry does not hold is the user's mistake, named with the store.</summary>
    internal static RunDetail Detail(IRunStore store, string runId) =>
        store.Registry.GetRunDetail(runId)
        ?? throw new InputException($"no run '{runId}' in the run registry {store.Description} (validationlab runs list shows the ids)", field: "RUN_ID");

    /// <summary>
    /// The metrics with their methods, from the registered results.json (the file the run wrote); the registry's metric
    /// rows when that file is not registered.
    /// </summary>
    private static List<(string Suite, string Metric, MetricValue Value)> Metrics(IRunRegistry registry, RunDetail detail)
    {
        var results = registry.ReadRunFiles(detail.Facts.RunId).FirstOrDefault(f => f.Name == "results.json");
        if (results is not null)
        {
            var run = JsonSerializer.Deserialize<RunResult>(results.Bytes, ResultsJson.Indented);
            if (run is not null)
            {
                return [.. run.Suites.SelectMany(s => s.Value.Metrics.Select(m => (s.Key, m.Key, m.Value)))];
            }
        }

        return [.. detail.Metrics.Select(m => (m.Suite, m.Metric, new MetricValue(m.Value, m.Lower, m.Upper, m.N, "") { Clusters = m.Clusters }))];
    }

    private static void Print(IAnsiConsole console, RunDetail detail, List<(string Suite, string Metric, MetricValue Value)> metrics, IReadOnlyList<SignoffRow> signoffs)
    {
        var f = detail.Facts;

        // A sharded run not merged yet has no results of its own: say so, and count what its shards recorded.
        var unmerged = detail.Shards.Count > 0 && detail.Files.Count == 0;
        var finished = unmerged ? "not merged yet" : Utc(f.FinishedUtc);
        var items = unmerged ? $"{detail.Shards.Sum(s => s.ItemCount).ToString(CultureInfo.InvariantCulture)} (recorded by its shards so far)" : detail.Items.Count.ToString(CultureInfo.InvariantCulture);
        var facts = new Table().Title(Markup.Escape($"run {f.RunId}")).AddColumn("fact").AddColumn("value");
        foreach (var (name, value) in new[]
        {
            ("runner/model", $"{f.Runner}/{f.Model}"), ("suites", string.Join(", ", f.Suites)), ("seed", f.Seed.ToString(CultureInfo.InvariantCulture)),
            ("started (UTC)", Utc(f.StartedUtc)), ("finished (UTC)", finished), ("config sha256", f.ConfigSha256),
            ("harness commit", f.HarnessCommit ?? "unknown"), ("items", items), ("promoted", f.Promoted ? "yes" : "no"),
        })
        {
            facts.AddRow(Markup.Escape(name), Markup.Escape(value));
        }

        console.Write(facts);
        if (detail.Shards.Count > 0)
        {
            var count = detail.Shards[0].Count;
            var shards = new Table().Title(Markup.Escape($"shards: {detail.Shards.Count(s => s.Finished)} of {count} finished{(detail.Files.Count > 0 ? ", merged" : ", not merged yet")}"))
                .AddColumn("shard").AddColumn("status").AddColumn("shard run id").AddColumn(new TableColumn("items").RightAligned()).AddColumn("finished (UTC)");
            for (var i = 0; i < count; i++)
            {
                var s = detail.Shards.FirstOrDefault(x => x.Index == i);
                shards.AddRow(
                    Markup.Escape($"{i}/{count}"), Markup.Escape(s?.Status ?? "not started"), Markup.Escape(s?.ShardRunId ?? "-"),
                    (s?.ItemCount ?? 0).ToString(CultureInfo.InvariantCulture), Markup.Escape(s?.FinishedUtc is { } end ? Utc(end) : "-"));
            }

            console.Write(shards);
        }

        var table = new Table().Title("metrics").AddColumn("suite").AddColumn("metric").AddColumn(new TableColumn("value").RightAligned())
            .AddColumn("95% interval").AddColumn(new TableColumn("n").RightAligned()).AddColumn("method");
        foreach (var (suite, metric, m) in metrics)
        {
            table.AddRow(
                Markup.Escape(suite), Markup.Escape(metric),
                m.Value is { } v ? Number(v) : Markup.Escape(m.AbsentReason ?? "absent"),
                m.CiLow is { } lo && m.CiHigh is { } hi ? Markup.Escape($"{Number(lo)} to {Number(hi)}") : "-",
                Markup.Escape(m.N.ToString(CultureInfo.InvariantCulture) + (m.Clusters is { } c ? $" ({c} clusters)" : "")),
                Markup.Escape(m.Method));
        }

        console.Write(table);
        if (detail.GateVerdicts.Count == 0)
        {
            console.MarkupLine("gate: not gated");
        }
        else
        {
            var g = detail.GateVerdicts[^1];
            console.MarkupLine(Markup.Escape($"gate: {g.Verdict} ({Utc(g.EvaluatedUtc)} UTC, policy {g.PolicySha256[..Math.Min(12, g.PolicySha256.Length)]}; {detail.GateVerdicts.Count} verdict(s) in all)"));
        }

        if (signoffs.Count == 0)
        {
            console.MarkupLine("sign-offs: none");
        }
        else
        {
            var s = new Table().Title("sign-offs").AddColumn("#").AddColumn("signer").AddColumn("role").AddColumn("decision").AddColumn("signed (UTC)").AddColumn("meaning");
            foreach (var r in signoffs)
            {
                s.AddRow(r.Seq.ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Signer), Markup.Escape(r.Role), Markup.Escape(r.Decision), Markup.Escape(r.SignedUtc), Markup.Escape(r.Meaning));
            }

            console.Write(s);
        }

        foreach (var c in detail.Comparisons)
        {
            console.MarkupLine(Markup.Escape($"compared: candidate {c.CandidateRunId} against baseline {c.BaselineRunId} ({Utc(c.ComparedUtc)} UTC)"));
        }

        console.MarkupLine(Markup.Escape($"files: {string.Join(", ", detail.Files.Select(x => $"{x.Name} ({x.Length} bytes)"))}"));
    }

    private static string Number(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}
