using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using ValidationLab.Cli.Display;
using ValidationLab.Cli.Registration;
using ValidationLab.Comparison;
using ValidationLab.Errors;
using ValidationLab.Governance;
using ValidationLab.Output;
using ValidationLab.Store;

namespace ValidationLab.Cli.Commands;

/// <summary>
/// `validationlab gate`: judges a run against a policy (docs/governance.md) and says whether it is promotable:
/// every criterion met and every required role approved this exact evidence. Writes gate.json, gate.junit.xml and
/// gate.md (replacing the previous verdict, which stays in gate-history.jsonl) and nothing else, except the
/// comparison.json it computed with --baseline. Exit 0 promotable, 4 not, 2 a bad policy or input.
/// </summary>
internal static class GateCommand
{
    public static Command Create(CliContext context)
    {
        var run = new Option<string>("--run") { Description = "Folder or registry run id of the run to judge (a run id needs --out).", Required = true };
        var baseline = new Option<string?>("--baseline") { Description = "Folder or registry run id of the production run: compare with it (margin from the policy) and write comparison.json." };
        var policy = new Option<string>("--policy") { Description = "Policy file (YAML): criteria and required roles.", Required = true };
        var output = new Option<string?>("--out") { Description = "Folder for gate.json, gate.junit.xml, gate.md, gate-history.jsonl (and comparison.json with --baseline). Default: the run folder." };
        var store = new Option<string?>("--store") { Description = "Run store holding the sign-offs and the run registry (run ids are looked up and the verdict recorded there). Default .validationlab/store.db." };
        var criteriaOnly = new Option<bool>("--criteria-only") { Description = "Judge the criteria only (CI before sign-off): exit 0 when they are met. Not a promotion decision." };
        var overwrite = new Option<bool>("--overwrite") { Description = "With --baseline: replace a comparison.json that holds a different comparison." };
        var command = new Command("gate", "Judge a run against a policy: criteria over results, comparison and slices, and the required sign-offs. Exit 0 promotable, 4 not.")
        {
            run, baseline, policy, output, store, criteriaOnly, overwrite,
        };
        command.SetAction(async (parse, ct) =>
        {
            // Everything that can be wrong with the input is found before anything is written.
            var gatePolicy = PolicyReader.Read(parse.GetValue(policy)!);
            using var location = RunLocation.Resolve(parse.GetValue(run)!, parse.GetValue(store), "--run");
            var evidence = RunEvidence.Load(location.Directory);
            var outDir = Path.GetFullPath(parse.GetValue(output) ?? (location.RegistryRunId is null ? evidence.Directory
                : throw new InputException($"--run names run {location.RegistryRunId} of the run registry, which has no folder to write the verdict into: give --out DIR", field: "--out")));
            var (comparison, comparisonPath, comparisonBytes) = Comparison(evidence, location, parse.GetValue(baseline), parse.GetValue(store), gatePolicy, outDir, parse.GetValue(overwrite));
            var criteria = GateEvaluator.Evaluate(gatePolicy, evidence.Results, comparison);
            var evaluation = new GateEvaluation
            {
                RunId = evidence.RunId,
                PolicyName = gatePolicy.Name,
                PolicySha256 = gatePolicy.Sha256,
                ResultsSha256 = evidence.ResultsSha256,
                ComparisonSha256 = comparisonBytes is not null ? Sha256(comparisonBytes) : comparisonPath is null ? null : Evidence.FileSha256(comparisonPath),
                ReportSha256 = Evidence.ReportSha256(evidence.Directory),
                RequiredRoles = gatePolicy.AllRequiredRoles,
                CriteriaPassed = criteria.All(c => c.Passed),
                Criteria = criteria,
            };
            var digest = GateVerdict.Digest(evaluation);
            SignoffState? signoffs = null;
            if (!parse.GetValue(criteriaOnly))
            {
                var storeSpec = AuditCommand.Spec(parse.GetValue(store));
                using var runStore = storeSpec.Exists ? StoreFactory.Open(storeSpec) : null;
                var trail = Trail.Load(runStore?.Registry, evidence.RunId, evidence.Directory);
                var problems = runStore is null && File.Exists(Path.Combine(evidence.Directory, Evidence.Signoffs))
                    ? [$"the run has sign-offs ({Evidence.Signoffs}) but there is no run store at {storeSpec.Description} to check them against (pass --store)", .. trail.Problems]
                    : trail.Problems;
                signoffs = SignoffEvaluator.Evaluate(evaluation.RequiredRoles, trail.Records, evaluation, digest, problems);
            }

            var verdictName = !evaluation.CriteriaPassed ? "criteria_not_met"
                : signoffs is null ? "criteria_met"
                : signoffs.Complete ? "promotable"
                : "signoff_incomplete";
            var verdict = new GateVerdict
            {
                EvaluatedUtc = DateTimeOffset.UtcNow,
                Verdict = verdictName,
                Promotable = verdictName == "promotable",
                PolicyPath = Path.GetFullPath(gatePolicy.File),
                RunDirectory = location.RegistryLabel ?? evidence.Directory,
                ComparisonPath = comparisonPath,
                VerdictSha256 = digest,
                Evaluation = evaluation,
                Signoffs = signoffs,
            };

            if (comparisonBytes is not null)
            {
                await AtomicFile.WriteAsync(comparisonPath!, (s, token) => s.WriteAsync(comparisonBytes, token).AsTask(), ct).ConfigureAwait(false);
            }

            await WriteAsync(outDir, verdict, ct).ConfigureAwait(false);
            Print(Terminal.Create(context), verdict, outDir);
            RegistryRecorder.Verdict(parse.GetValue(store), verdict, await File.ReadAllBytesAsync(Path.Combine(outDir, Evidence.Gate), ct).ConfigureAwait(false), context);
            return verdict.Promotable || verdictName == "criteria_met" ? ExitCodes.Success : ExitCodes.NotPromotable;
        });
        return command;
    }

    /// <summary>
    /// The comparison the policy reads: computed with --baseline (bytes to write into the output folder), else the
    /// run folder's comparison.json when there is one, else none.
    /// </summary>
    private static (JsonNode? Node, string? Path, byte[]? Bytes) Comparison(RunEvidence evidence, RunLocation run, string? baseline, string? store, GatePolicy policy, string outDir, bool overwrite)
    {
        if (baseline is null)
        {
            var existing = Path.Combine(evidence.Directory, Evidence.Comparison);
            if (!File.Exists(existing))
            {
                return (null, null, null);
            }

            var node = RunEvidence.ReadJson(existing);
            if (node["candidate"]?["run_id"] is JsonValue candidate && candidate.GetValueKind() == JsonValueKind.String && candidate.GetValue<string>() != evidence.RunId)
            {
                throw new InputException($"this comparison.json compares run {candidate.GetValue<string>()}, not this run ({evidence.RunId}); compare again or give --baseline", existing, field: "candidate.run_id");
            }

            return (node, existing, null);
        }

        var comparer = new RunComparer { Margin = policy.Comparison.Margin, Seed = policy.Comparison.Seed, BootstrapResamples = policy.Comparison.Resamples };
        using var baselineRun = RunLocation.Resolve(baseline, store, "--baseline");
        var result = comparer.Compare(baselineRun.Load(), run.Load());
        var bytes = JsonSerializer.SerializeToUtf8Bytes(result, ResultsJson.Indented);
        var path = Path.Combine(outDir, Evidence.Comparison);
        if (File.Exists(path) && !overwrite && !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            throw new InputException("a different comparison.json is already there (another baseline or margin); pass --overwrite to replace it, or --out DIR", path, field: "--baseline");
        }

        return (JsonNode.Parse(bytes), path, bytes);
    }

    private static async Task WriteAsync(string outDir, GateVerdict verdict, CancellationToken ct)
    {
        await AtomicFile.WriteAsync(Path.Combine(outDir, Evidence.Gate), (s, token) => JsonSerializer.SerializeAsync(s, verdict, ResultsJson.Indented, token), ct).ConfigureAwait(false);
        await WriteTextAsync(Path.Combine(outDir, "gate.junit.xml"), GateReportWriters.JUnit(verdict), ct).ConfigureAwait(false);
        await WriteTextAsync(Path.Combine(outDir, "gate.md"), GateReportWriters.Markdown(verdict), ct).ConfigureAwait(false);

        // Re-gating is normal (new sign-offs, a re-rendered report): gate.json is the latest verdict, and every
        // verdict ever given stays in this append-only history.
        await File.AppendAllTextAsync(Path.Combine(outDir, Evidence.GateHistory), JsonSerializer.Serialize(verdict, ResultsJson.Compact) + "\n", new UTF8Encoding(false), ct).ConfigureAwait(false);
    }

    private static Task WriteTextAsync(string path, string text, CancellationToken ct) =>
        AtomicFile.WriteAsync(path, (s, token) => s.WriteAsync(new UTF8Encoding(false).GetBytes(text), token).AsTask(), ct);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    private static void Print(IAnsiConsole console, GateVerdict verdict, string outDir)
    {
        var e = verdict.Evaluation;
        var table = new Table().Title(Markup.Escape($"gate {e.PolicyName} on run {e.RunId}"))
            .AddColumn("criterion").AddColumn("observed").AddColumn("threshold").AddColumn("result").AddColumn("why");
        foreach (var c in e.Criteria)
        {
            table.AddRow(
                Markup.Escape(c.Name),
                Markup.Escape(c.ObservedText),
                Markup.Escape($"{c.Operator} {c.Threshold?.ToJsonString()}"),
                c.Passed ? "[green]pass[/]" : "[red]FAIL[/]",
                Markup.Escape(c.Why));
        }

        console.Write(table);
        if (verdict.Signoffs is { } s)
        {
            if (s.Roles.Count > 0)
            {
                var roles = new Table().Title("sign-off").AddColumn("role").AddColumn("state").AddColumn("signer").AddColumn("signed (UTC)").AddColumn("why");
                foreach (var r in s.Roles)
                {
                    roles.AddRow(Markup.Escape(r.Role), r.State == "approved" ? "[green]approved[/]" : $"[red]{Markup.Escape(r.State)}[/]",
                        Markup.Escape(r.Signer ?? ""), Markup.Escape(r.SignedUtc ?? ""), Markup.Escape(r.Why));
                }

                console.Write(roles);
            }

            foreach (var problem in s.AuditProblems)
            {
                console.MarkupLine($"[red]audit trail:[/] {Markup.Escape(problem)}");
            }
        }

        var missing = verdict.Signoffs?.Roles.Where(r => r.State != "approved").Select(r => $"{r.Role} ({r.State})").ToList() ?? [];
        var colour = verdict.Promotable || verdict.Verdict == "criteria_met" ? "green" : "red";
        console.MarkupLine($"[bold {colour}]{Markup.Escape(GateReportWriters.Headline(verdict))}[/]"
            + (verdict.Verdict == "signoff_incomplete" ? Markup.Escape($": needs {string.Join(", ", missing)}") : ""));
        console.MarkupLine(Markup.Escape($"Verdict {verdict.VerdictSha256}: {Path.Combine(outDir, Evidence.Gate)}"));
    }
}
