using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValidationLab.Comparison;
using ValidationLab.Errors;
using ValidationLab.Exporters;
using ValidationLab.Governance;
using ValidationLab.Reports.Html;
using ValidationLab.Reports.Pdf;

namespace ValidationLab.Cli.Commands;

/// <summary>
/// `validationlab report --run DIR [--pdf]`: renders report.html again from the run folder's results.json and
/// items.jsonl, with comparison.json, gate.json, signoffs.jsonl and model-card.json when present. Rendering is
/// deterministic, so when only the verdict or the signatures changed, only the governance region changes and the
/// report's fingerprint (what signers signed) stays the same. The trend over earlier runs comes from the run's
/// trend.json (what `run` read from the registry), never from the registry again, for the same reason. --pdf also prints report.pdf, the sign-off packet.
/// </summary>
internal static class ReportCommand
{
    public const string ModelCardFile = "model-card.json";

    public static Command Create(CliContext context)
    {
        var run = new Option<string>("--run") { Description = "Run folder to render report.html for.", Required = true };
        var pdf = new Option<bool>("--pdf") { Description = "Also print report.pdf (the sign-off packet) with Chromium." };
        var command = new Command("report", "Render a run's report.html again, with its comparison, gate verdict and sign-offs.")
        {
            run, pdf,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = LoadedRun.Load(parse.GetValue(run)!);
            var directory = loaded.Directory;
            var evidence = new ReportEvidence
            {
                Comparison = ReadComparison(Path.Combine(directory, Evidence.Comparison)),
                Gate = ReadGate(Path.Combine(directory, Evidence.Gate)),
                Signoffs = ReadSignoffs(Path.Combine(directory, Evidence.Signoffs)),
                ModelCard = ReadModelCard(Path.Combine(directory, ModelCardFile)),
                History = Registration.TrendFile.Read(directory),
            };

            string? browser = null;
            if (parse.GetValue(pdf))
            {
                browser = PdfPrinter.FindBrowser()
                    ?? throw new InputException("--pdf needs Chromium: install it (apt-get install chromium) or set VALIDATIONLAB_CHROMIUM to its path", field: "--pdf");
            }

            var target = Path.Combine(directory, Evidence.Report);
            var temp = target + ".tmp";
            var exporter = new HtmlReportExporter();
            await using (var stream = File.Create(temp))
            {
                await exporter.WriteAsync(loaded.Result, loaded.Items, evidence, stream, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, target, overwrite: true);
            await context.Out.WriteLineAsync($"Wrote {target}").ConfigureAwait(false);
            if (browser is not null)
            {
                var pdfPath = Path.Combine(directory, "report.pdf");
                await PdfPrinter.PrintAsync(target, pdfPath, browser, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"Wrote {pdfPath}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static JsonObject? ReadObject(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return RunEvidence.ReadJson(path) as JsonObject ?? throw new InputException("expected a JSON object", path);
    }

    private static string? Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static double? Num(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    private static ReportComparison? ReadComparison(string path)
    {
        if (ReadObject(path) is not { } root)
        {
            return null;
        }

        var metrics = new List<ReportMetricChange>();
        var flipped = new HashSet<string>(StringComparer.Ordinal);
        if (root["suites"] is JsonObject suites)
        {
            foreach ((string suite, JsonNode? node) in suites.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (node is not JsonObject s)
                {
                    continue;
                }

                int? paired = s["paired_items"] is JsonValue pv && pv.GetValueKind() == JsonValueKind.Number ? pv.GetValue<int>() : null;
                if (s["metrics"]?["accuracy"] is JsonObject acc)
                {
                    metrics.Add(Change(suite, "accuracy", acc, paired));
                }

                if (s["risk"] is JsonObject risk)
                {
                    foreach (var name in new[] { "auroc", "brier" })
                    {
                        if (risk[name] is JsonObject m)
                        {
                            metrics.Add(Change(suite, name, m, paired));
                        }
                    }
                }

                foreach (var list in new[] { "regressions", "improvements" })
                {
                    if (s[list] is JsonArray items)
                    {
                        foreach (var item in items)
                        {
                            if (Str(item?["item_id"]) is { } id)
                            {
                                flipped.Add(suite + "/" + id);
                            }
                        }
                    }
                }
            }
        }

        return new ReportComparison
        {
            BaselineRunId = Str(root["baseline"]?["run_id"]) ?? "unknown",
            Metrics = metrics,
            FlippedItems = flipped,
        };
    }

    private static ReportMetricChange Change(string suite, string metric, JsonObject m, int? paired) =>
        new(suite, metric, Num(m["candidate"]?["value"]), Num(m["baseline"]?["value"]), Num(m["difference"]?["value"]),
            Num(m["difference"]?["ci_low"]), Num(m["difference"]?["ci_high"]),
            Str(m["test"]?["method"]) ?? "none", Num(m["test"]?["p_value"]), paired);

    private static ReportGate? ReadGate(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var gate = GateFile.Read(path);
        var root = gate.Root;
        var e = gate.Evaluation;
        return new ReportGate
        {
            Verdict = Str(root["verdict"]) ?? "unknown",
            Promotable = root["promotable"] is JsonValue p && p.GetValueKind() == JsonValueKind.True,
            PolicyName = e.PolicyName,
            PolicySha256 = e.PolicySha256,
            VerdictSha256 = gate.VerdictSha256,
            EvaluatedUtc = Str(root["evaluated_utc"]) ?? "",
            RequiredRoles = e.RequiredRoles,
            Criteria = e.Criteria.Select(c => new ReportCriterion(c.Name, c.Expression, c.ObservedText,
                c.Operator + " " + (c.Threshold?.ToJsonString() ?? "null"), c.Passed, c.Why)).ToList(),
        };
    }

    private static IReadOnlyList<ReportSignature> ReadSignoffs(string path)
    {
        var (records, problems) = SignoffMirror.Read(path);
        if (problems.Count > 0)
        {
            throw new InputException($"not a sign-off record: {problems[0]} (run validationlab audit verify)", path);
        }

        return records.Select(r => new ReportSignature
        {
            Seq = r.Seq,
            Signer = r.Signer,
            Role = r.Role,
            SignedUtc = r.SignedUtc,
            Decision = r.Decision,
            Meaning = r.Meaning,
            Comment = r.Comment,
            ReportSha256 = r.ReportSha256,
            RecordHash = r.RecordHash,
        }).ToList();
    }

    /// <summary>model-card.json: <c>{"intended_use": "…", "population": "…", "limitations": "…"}</c>, each optional; checked as a run's is.</summary>
    private static ReportModelCard? ReadModelCard(string path) =>
        File.Exists(path) ? Configuration.ModelCardReader.Read(path) : null;
}
