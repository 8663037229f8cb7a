using System.CommandLine;
using Spectre.Console;
using ValidationLab.Cli.Display;
using ValidationLab.Errors;
using ValidationLab.Governance;
using ValidationLab.Store;

namespace ValidationLab.Cli.Commands;

/// <summary>
/// `validationlab audit verify`: recomputes every sign-off record's hash and chain link in the run store and in the
/// run folder's mirror (signoffs.jsonl), compares the two copies, and checks that the files the gate judged (policy,
/// results, comparison, report) are still the ones it judged. Names each record or file that differs.
/// </summary>
internal static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var store = new Option<string?>("--store") { Description = "Run store holding the sign-offs. Default .validationlab/store.db." };
        var run = new Option<string?>("--run") { Description = "Run folder: also check its signoffs.jsonl mirror and the evidence its gate.json judged." };
        var policy = new Option<string?>("--policy") { Description = "The policy file, when it moved since the gate read it (default: where gate.json says it was)." };
        var head = new Option<string?>("--head") { Description = "A record hash printed at signing: fails if that record is no longer in the chain (detects removal of the newest records)." };
        var verify = new Command("verify", "Verify the sign-off hash chain (store and mirror) and the evidence the gate judged; exit 5 naming what changed.")
        {
            store, run, policy, head,
        };
        verify.SetAction(parse =>
        {
            var console = Terminal.Create(context);
            var storeSpec = Spec(parse.GetValue(store));
            if (!storeSpec.Exists)
            {
                throw new InputException("no run store here (nothing was signed with it); pass --store PATH", storeSpec.Description);
            }

            var problems = new List<string>();
            var checkedRecords = 0;
            using (var runStore = StoreFactory.Open(storeSpec))
            {
                if (parse.GetValue(run) is { } dir)
                {
                    var evidence = RunEvidence.Load(dir);
                    var trail = Trail.Load(runStore.Registry, evidence.RunId, evidence.Directory);
                    problems.AddRange(trail.Problems);
                    checkedRecords += trail.Records.Count;
                    var gatePath = Path.Combine(evidence.Directory, Evidence.Gate);
                    if (File.Exists(gatePath))
                    {
                        problems.AddRange(GateFile.Read(gatePath).Changes(evidence.Directory, parse.GetValue(policy)));
                    }
                    else
                    {
                        console.MarkupLine(Markup.Escape($"note: {gatePath} does not exist: no gate verdict to check"));
                    }

                    if (parse.GetValue(head) is { } h && trail.Records.All(r => r.RecordHash != h.Trim().ToLowerInvariant()))
                    {
                        problems.Add($"no record with hash {h} is in the chain of run {evidence.RunId}: it was removed");
                    }
                }
                else
                {
                    var runs = runStore.Registry.SignedRuns();
                    foreach (var runId in runs)
                    {
                        var records = runStore.Registry.ReadSignoffs(runId).Select(Trail.ToRecord).ToList();
                        checkedRecords += records.Count;
                        problems.AddRange(AuditTrail.VerifyChain(records, $"store (run {runId})"));
                    }

                    if (parse.GetValue(head) is { } h && !runs.SelectMany(runStore.Registry.ReadSignoffs).Any(r => r.RecordHash == h.Trim().ToLowerInvariant()))
                    {
                        problems.Add($"no record with hash {h} is in the store: it was removed");
                    }
                }
            }

            foreach (var problem in problems)
            {
                console.MarkupLine($"[red]TAMPERED[/] {Markup.Escape(problem)}");
            }

            if (problems.Count > 0)
            {
                console.MarkupLine(Markup.Escape($"audit trail NOT intact: {problems.Count} problem(s) in {checkedRecords} record(s) checked ({storeSpec.Description})"));
                return ExitCodes.EvidenceMismatch;
            }

            console.MarkupLine(Markup.Escape($"audit trail intact: {checkedRecords} record(s) checked ({storeSpec.Description})"));
            return ExitCodes.Success;
        });
        var command = new Command("audit", "Check the audit trail: sign-off records and the evidence they bind.") { verify };
        return command;
    }

    /// <summary>The store <c>--store</c> names (a file or a PostgreSQL connection string); null: the default file here.</summary>
    internal static StoreSpec Spec(string? given) => StoreSpec.Parse(given, Directory.GetCurrentDirectory());
}

/// <summary>A run's sign-off records from the store, checked against themselves and against the run folder's mirror.</summary>
internal sealed record Trail(IReadOnlyList<SignoffRecord> Records, IReadOnlyList<string> Problems)
{
    /// <summary>Reads and verifies the run's chain in <paramref name="store"/> (may be null: no store) and in the mirror.</summary>
    public static Trail Load(IRunRegistry? store, string runId, string runDirectory) =>
        store?.ReadSignoffsConsistently(runId, rows => From(rows, runId, runDirectory)) ?? From([], runId, runDirectory);

    /// <summary>Verifies <paramref name="rows"/> (the store's copy) and the run folder's mirror against each other.</summary>
    public static Trail From(IReadOnlyList<SignoffRow> rows, string runId, string runDirectory)
    {
        var stored = rows.Select(ToRecord).ToList();
        var mirrorPath = Path.Combine(runDirectory, Evidence.Signoffs);
        var (mirror, unreadable) = SignoffMirror.Read(mirrorPath);
        var problems = new List<string>(unreadable);
        problems.AddRange(AuditTrail.VerifyChain(stored, "store"));
        problems.AddRange(AuditTrail.VerifyChain(mirror, Evidence.Signoffs));
        problems.AddRange(AuditTrail.CompareCopies(stored, mirror, Evidence.Signoffs));
        problems.AddRange(mirror.Where(r => r.RunId != runId).Select(r => $"{Evidence.Signoffs}: {r.Label} belongs to run {r.RunId}, not {runId}"));
        return new Trail(stored, problems);
    }

    public static SignoffRecord ToRecord(SignoffRow r) => new()
    {
        RunId = r.RunId,
        Seq = r.Seq,
        SignedUtc = r.SignedUtc,
        Signer = r.Signer,
        Role = r.Role,
        Decision = r.Decision,
        Meaning = r.Meaning,
        Comment = r.Comment,
        ReportSha256 = r.ReportSha256,
        ResultsSha256 = r.ResultsSha256,
        ComparisonSha256 = r.ComparisonSha256,
        GateSha256 = r.GateSha256,
        PolicySha256 = r.PolicySha256,
        PrevHash = r.PrevHash,
        RecordHash = r.RecordHash,
    };

    public static SignoffRow ToRow(SignoffRecord r) => new(r.RunId, r.Seq, r.SignedUtc, r.Signer, r.Role, r.Decision, r.Meaning, r.Comment,
        r.ReportSha256, r.ResultsSha256, r.ComparisonSha256, r.GateSha256, r.PolicySha256, r.PrevHash, r.RecordHash);
}
