using System.Globalization;
using Spectre.Console;
using ValidationLab.Pipeline;
using ValidationLab.Results;

namespace ValidationLab.Cli.Display;

/// <summary>The table printed after a run: per suite, every metric with its interval, n and method.</summary>
internal static class RunSummary
{
    public static void Write(IAnsiConsole console, RunOutcome outcome)
    {
        var run = outcome.Result;
        console.WriteLine();
        console.MarkupLine($"Run [bold]{Markup.Escape(run.Manifest.RunId)}[/] with {Markup.Escape(run.Manifest.Runner.ToString())}");
        foreach (var (name, suite) in run.Suites)
        {
            var table = new Table().Title($"{name} ({suite.Mode}): {suite.Counts.Items} items, {suite.Counts.Scored} scored, {suite.Counts.Unparseable} unparseable, {suite.Counts.Errored} errored")
                .AddColumn("metric").AddColumn(new TableColumn("value").RightAligned()).AddColumn("95% CI").AddColumn(new TableColumn("n").RightAligned()).AddColumn("method");
            foreach (var (metric, value) in suite.Metrics)
            {
                table.AddRow(
                    Markup.Escape(metric),
                    value.Value is { } v ? Format(v) : "—",
                    value.CiLow is { } lo && value.CiHigh is { } hi ? $"{Format(lo)} – {Format(hi)}" : Markup.Escape(value.AbsentReason ?? ""),
                    value.N.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(value.Method));
            }

            console.Write(table);
        }

        var a = run.Accounting;
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{a.Requests} request(s), {a.CacheHits} from cache, {a.Retries} retries, {a.ErroredRequests} errored; {a.ItemsPerSecond:0.#} items/s; latency p50 {a.LatencyP50Ms:0} ms, p95 {a.LatencyP95Ms:0} ms")));
        foreach (var warning in run.Warnings)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        }

        console.MarkupLine($"Results: [link]{Markup.Escape(outcome.OutDirectory)}[/]");
        console.MarkupLine($"Report:  [link]{Markup.Escape(Path.Combine(outcome.OutDirectory, "report.html"))}[/]");
    }

    private static string Format(double v) => v.ToString(Math.Abs(v) >= 100 || v == Math.Floor(v) ? "0.##" : "0.0000", CultureInfo.InvariantCulture);
}
