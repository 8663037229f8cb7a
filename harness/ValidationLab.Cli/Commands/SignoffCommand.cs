using System.CommandLine;
using Spectre.Console;
using ValidationLab.Cli.Display;
using ValidationLab.Errors;
using ValidationLab.Governance;
using ValidationLab.Store;

namespace ValidationLab.Cli.Commands;

/// <summary>
/// `validationlab signoff`: appends a signature record (who, role, UTC time, decision and its fixed meaning, comment)
/// bound to the SHA-256 of the report, results, comparison and gate verdict, to the run's hash chain in the store and
/// to the run folder's signoffs.jsonl. Refuses (exit 2) when there is no gate verdict or the evidence changed since
/// it was gated (sign what was gated), and (exit 5) when the chain is already broken.
/// </summary>
internal static class SignoffCommand
{
    public static Command Create(CliContext context)
    {
        var run = new Option<string>("--run") { Description = "Folder of the run whose report you reviewed.", Required = true };
        var signer = new Option<string>("--as") { Description = "Your full name, as it should appear in the record.", Required = true };
        var role = new Option<string>("--role") { Description = "The role you sign in, as the policy names it (e.g. clinical_reviewer, ml_lead, governance_chair).", Required = true };
        var decision = new Option<string>("--decision") { Description = "approve, reject or conditional.", Required = true };
        decision.AcceptOnlyFromAmong([.. SignoffDecision.All]);
        var comment = new Option<string>("--comment") { Description = "What you checked, and for conditional: the conditions.", Required = true };
        var gate = new Option<string?>("--gate") { Description = "The gate.json to sign, when gate wrote it with --out. Default: the run folder's." };
        var store = new Option<string?>("--store") { Description = "Run store to append to. Default .validationlab/store.db." };
        var command = new Command("signoff", "Sign a gated run's report: approve, reject or approve with conditions. Appends to a tamper-evident chain.")
        {
            run, signer, role, decision, comment, gate, store,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(signer)!.Trim();
            var roleName = parse.GetValue(role)!.Trim();
            var text = parse.GetValue(comment)!.Trim();
            var choice = parse.GetValue(decision)!;
            if (name.Length == 0)
            {
                throw new InputException("give your name", field: "--as");
            }

            if (!PolicyReader.RolePattern().IsMatch(roleName))
            {
                throw new InputException($"'{roleName}' is not a role name (lower-case letters, digits and underscores, e.g. clinical_reviewer)", field: "--role");
            }

            if (text.Length == 0)
            {
                throw new InputException("say what you reviewed (and, for conditional, the conditions)", field: "--comment");
            }

            var evidence = RunEvidence.Load(parse.GetValue(run)!);
            var gatePath = Path.GetFullPath(parse.GetValue(gate) ?? Path.Combine(evidence.Directory, Evidence.Gate));
            if (!File.Exists(gatePath))
            {
                throw new InputException($"no gate verdict for this run: a sign-off binds the gate verdict, so run `validationlab gate --run {parse.GetValue(run)} --policy FILE` first", gatePath, field: "--run");
            }

            var gateFile = GateFile.Read(gatePath);
            if (gateFile.Evaluation.RunId != evidence.RunId)
            {
                throw new InputException($"this gate verdict is for run {gateFile.Evaluation.RunId}, not {evidence.RunId}", gatePath, field: "--gate");
            }

            var changes = gateFile.Changes(evidence.Directory);
            if (changes.Count > 0)
            {
                throw new InputException($"the evidence changed since it was gated, so this would sign something nobody gated: {string.Join("; ", changes)}. Run the gate again, review, then sign", gatePath);
            }

            var console = Terminal.Create(context);
            using var runStore = StoreFactory.Open(AuditCommand.Spec(parse.GetValue(store)));
            var e = gateFile.Evaluation;
            SignoffRow row;
            try
            {
                row = runStore.Registry.AppendSignoff(evidence.RunId, rows =>
                {
                    // Checked under the store's write lock, so a concurrent signer is never mistaken for tampering.
                    var trail = Trail.From(rows, evidence.RunId, evidence.Directory);
                    if (trail.Problems.Count > 0)
                    {
                        throw new BrokenChainException(trail.Problems);
                    }

                    return Trail.ToRow(new SignoffRecord
                    {
                        RunId = evidence.RunId,
                        Seq = rows.Count,
                        SignedUtc = SignoffRecord.Now(),
                        Signer = name,
                        Role = roleName,
                        Decision = choice,
                        Meaning = SignoffDecision.Meaning(choice),
                        Comment = text,
                        ReportSha256 = e.ReportSha256,
                        ResultsSha256 = e.ResultsSha256,
                        ComparisonSha256 = e.ComparisonSha256,
                        GateSha256 = gateFile.VerdictSha256,
                        PolicySha256 = e.PolicySha256,
                        PrevHash = rows.Count == 0 ? SignoffRecord.Genesis : rows[^1].RecordHash,
                    }.Sealed());
                }, inserted => SignoffMirror.Append(Path.Combine(evidence.Directory, Evidence.Signoffs), Trail.ToRecord(inserted)));
            }
            catch (BrokenChainException broken)
            {
                foreach (var problem in broken.Problems)
                {
                    console.MarkupLine($"[red]audit trail:[/] {Markup.Escape(problem)}");
                }

                console.MarkupLine("The sign-off chain of this run is broken; nothing was signed. Investigate with `validationlab audit verify`.");
                return ExitCodes.EvidenceMismatch;
            }

            var record = Trail.ToRecord(row);

            console.MarkupLine(Markup.Escape($"Signed {record.Label} at {record.SignedUtc}: \"{record.Meaning}\""));
            console.MarkupLine(Markup.Escape($"Record hash {record.RecordHash} (keep it: `validationlab audit verify --run DIR --head {record.RecordHash}` shows it is still there)"));
            if (!e.RequiredRoles.Contains(roleName))
            {
                console.MarkupLine(Markup.Escape($"note: the policy does not require the role '{roleName}' (required: {string.Join(", ", e.RequiredRoles)}); the record is kept but does not count towards promotion"));
            }

            if (choice == SignoffDecision.Approve && !e.CriteriaPassed)
            {
                console.MarkupLine("[yellow]note:[/] the gate's criteria are not met: the run is not promotable whatever the sign-offs.");
            }

            console.MarkupLine("Run `validationlab gate` again to see whether the run is now promotable.");
            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>The run's chain was found broken while signing: nothing is appended.</summary>
internal sealed class BrokenChainException(IReadOnlyList<string> problems) : Exception("the sign-off chain is broken")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
