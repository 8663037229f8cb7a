using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using ValidationLab.Cli.Display;
using ValidationLab.Cli.Registration;
using ValidationLab.Comparison;
using ValidationLab.Output;
using ValidationLab.Results;

namespace ValidationLab.Cli.Commands;

/// <summary>`validationlab compare`: a candidate run against a baseline run, paired item by item.</summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var baseline = new Option<string>("--baseline") { Description = "Folder or registry run id of the baseline run (e.g. the production model).", Required = true };
        var candidate = new Option<string>("--candidate") { Description = "Folder or registry run id of the candidate run.", Required = true };
        var output = new Option<string?>("--out") { Description = "Folder to write comparison.json into." };
        var margin = new Option<double>("--margin") { Description = "Non-inferiority margin: accuracy for exam suites (0.02 = 2 points), AUROC for risk suites.", DefaultValueFactory = _ => 0.02 };
        var seed = new Option<int>("--seed") { Description = "Seed of the paired bootstrap.", DefaultValueFactory = _ => 0 };
        var resamples = new Option<int>("--resamples") { Description = "Paired bootstrap resamples.", DefaultValueFactory = _ => 10_000 };
        var allowData = new Option<bool>("--allow-different-data")
        {
            Description = "Compare runs whose suites, data files or items differ: only items that are the same question in both are paired, the rest are counted.",
        };
        var allowLimit = new Option<bool>("--allow-different-limit")
        {
            Description = "Compare a --limit run with a full run (or another limit): the items both ran are paired.",
        };
        var store = new Option<string?>("--store") { Description = "Run registry to look run ids up in and to record the comparison in. Default .validationlab/store.db." };
        var command = new Command("compare", "Compare two runs on the same items: paired differences with intervals, McNemar, non-inferiority, flipped items.")
        {
            baseline, candidate, output, margin, seed, resamples, allowData, allowLimit, store,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(resamples) < 100)
            {
                throw new Errors.InputException("--resamples must be at least 100", field: "--resamples");
            }

            var comparer = new RunComparer
            {
                Margin = parse.GetValue(margin),
                Seed = parse.GetValue(seed),
                BootstrapResamples = parse.GetValue(resamples),
                AllowDifferentData = parse.GetValue(allowData),
                AllowDifferentLimit = parse.GetValue(allowLimit),
            };
            using var baselineRun = RunLocation.Resolve(parse.GetValue(baseline)!, parse.GetValue(store), "--baseline");
            using var candidateRun = RunLocation.Resolve(parse.GetValue(candidate)!, parse.GetValue(store), "--candidate");
            var result = comparer.Compare(baselineRun.Load(), candidateRun.Load());
            Print(Terminal.Create(context), result);
            if (parse.GetValue(output) is { } dir)
            {
                var path = Path.Combine(dir, "comparison.json");
                await AtomicFile.WriteAsync(path, (s, token) => JsonSerializer.SerializeAsync(s, result, ResultsJson.Indented, token), ct).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"Comparison: {Path.GetFullPath(path)}").ConfigureAwait(false);
            }

            RegistryRecorder.Comparison(parse.GetValue(store), result, RegistryRecorder.Json(result), context);

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(IAnsiConsole console, ComparisonResult result)
    {
        console.MarkupLine($"Baseline  [bold]{Markup.Escape(result.Baseline.Model)}[/] ({Markup.Escape(result.Baseline.RunId)})");
        console.MarkupLine($"Candidate [bold]{Markup.Escape(result.Candidate.Model)}[/] ({Markup.Escape(result.Candidate.RunId)})");
        foreach (var warning in result.Warnings)
        {
            console.MarkupLine($"[yellow]Warning:[/] {Markup.Escape(warning)}");
        }

        foreach (var (name, suite) in result.Suites)
        {
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{name}: paired {suite.PairedItems}, only in baseline {suite.OnlyInBaseline}, only in candidate {suite.OnlyInCandidate}, mismatched {suite.Mismatched}, errored in either run {suite.ExcludedErrored}")));
            if (suite.Risk is { } risk)
            {
                PrintRisk(console, name, suite, risk);
                continue;
            }

            var table = new Table()
                .Title($"{name}: {suite.PairedItems} paired items ({suite.ExcludedErrored} errored in either run excluded)")
                .AddColumn("metric").AddColumn("baseline").AddColumn("candidate").AddColumn("difference (95% CI)").AddColumn("McNemar exact p")
                .AddColumn(new TableColumn("lost").RightAligned()).AddColumn(new TableColumn("gained").RightAligned());
            foreach (var (metric, m) in suite.Metrics)
            {
                AddRow(table, metric, m);
            }

            foreach (var (field, values) in suite.Breakdowns)
            {
                foreach (var (value, metrics) in values)
                {
                    foreach (var (metric, m) in metrics)
                    {
                        AddRow(table, $"{metric} [{field}={value}]", m);
                    }
                }
            }

            console.Write(table);
            console.MarkupLine($"Method: {Markup.Escape(suite.Metrics.Values.First().Difference.Method)}; bootstrap: {Markup.Escape(suite.Metrics.Values.First().BootstrapDifference.Method)}");
            console.MarkupLine($"{(suite.NonInferiority.Passed ? "[green]" : "[red]")}{Markup.Escape(suite.NonInferiority.Verdict)}[/] ({Markup.Escape(suite.NonInferiority.Method)})");
            if (suite.Power is { } power)
            {
                console.MarkupLine(Markup.Escape(power.Statement));
            }

            if (suite.Regressions.Count > 0)
            {
                var shown = suite.Regressions.Take(10).Select(r => $"{r.ItemId} (gold {r.Gold}, {r.BaselinePrediction}→{r.CandidatePrediction ?? "none"})");
                console.MarkupLine(Markup.Escape($"Correct→incorrect ({suite.Regressions.Count}): {string.Join(", ", shown)}{(suite.Regressions.Count > 10 ? ", …" : "")}"));
            }
        }
    }

    private static void PrintRisk(IAnsiConsole console, string name, SuiteComparison suite, RiskComparison risk)
    {
        var table = new Table()
            .Title(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{name}: {suite.PairedItems} paired decision points, {risk.Positives} with the outcome, {risk.Clusters} patients")))
            .AddColumn("metric").AddColumn("baseline").AddColumn("candidate").AddColumn("difference (95% CI)").AddColumn("cluster bootstrap 95% CI").AddColumn("p");
        foreach (var (metric, m) in new[] { ("AUROC", risk.Auroc), ("Brier (lower is better)", risk.Brier) })
        {
            table.AddRow(
                Markup.Escape(metric),
                Markup.Escape(Number(m.Baseline)),
                Markup.Escape(Number(m.Candidate)),
                Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{m.Difference.Value:+0.0000;-0.0000;0.0000} ({m.Difference.CiLow:0.0000} to {m.Difference.CiHigh:0.0000})")),
                Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{m.BootstrapDifference.CiLow:0.0000} to {m.BootstrapDifference.CiHigh:0.0000}")),
                m.Test is { } t ? PValue(t.PValue) : "");
        }

        console.Write(table);
        console.MarkupLine($"Method: {Markup.Escape(risk.Auroc.Difference.Method)}; {Markup.Escape(risk.Brier.Difference.Method)}");
        console.MarkupLine($"{(suite.NonInferiority.Passed ? "[green]" : "[red]")}{Markup.Escape(suite.NonInferiority.Verdict)}[/] ({Markup.Escape(suite.NonInferiority.Method)})");
    }

    private static string Number(MetricValue v) =>
        string.Create(CultureInfo.InvariantCulture, $"{v.Value:0.0000} ({v.CiLow:0.0000} to {v.CiHigh:0.0000})");

    private static void AddRow(Table table, string label, MetricComparison m) => table.AddRow(
        Markup.Escape(label),
        Pct(m.Baseline),
        Pct(m.Candidate),
        Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{m.Difference.Value * 100:+0.0;-0.0;0.0} pts ({m.Difference.CiLow * 100:0.0} to {m.Difference.CiHigh * 100:0.0})")),
        PValue(m.Test.PValue),
        m.Regressions.ToString(CultureInfo.InvariantCulture),
        m.Improvements.ToString(CultureInfo.InvariantCulture));

    /// <summary>p-values below what four decimals show are written as a bound, never as 0.</summary>
    internal static string PValue(double p) => p < 0.0001 ? "<0.0001" : p.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Pct(MetricValue v) => Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{v.Value * 100:0.0}% (n={v.N})"));
}
