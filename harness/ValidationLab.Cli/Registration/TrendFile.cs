using System.Text.Json;
using ValidationLab.Errors;
using ValidationLab.Exporters;
using ValidationLab.Output;
using ValidationLab.Results;

namespace ValidationLab.Cli.Registration;

/// <summary>
/// trend.json: the earlier runs (from the run registry) the run's report drew its trend chart from, written by
/// `run` beside report.html. `report` reads it back instead of asking the registry again, so a re-rendered report is
/// the same page whatever the registry holds by then or wherever it is rendered (its fingerprint, which signers
/// sign, does not move); the registry's later runs belong in the reports of those later runs.
/// </summary>
internal sealed class TrendFile(Func<RunResult, IReadOnlyList<ReportHistoryPoint>> history) : IRunExporter
{
    public const string Name = "trend.json";

    public string FileName => Name;

    public Task WriteAsync(RunResult run, IReadOnlyList<ItemResult> items, Stream destination, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(destination, new TrendDocument("1.0", history(run)), ResultsJson.Indented, cancellationToken);

    /// <summary>The history in <paramref name="runDirectory"/>'s trend.json; empty when the run has none (made without a registry).</summary>
    public static IReadOnlyList<ReportHistoryPoint> Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, Name);
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            var document = JsonSerializer.Deserialize<TrendDocument>(File.ReadAllBytes(path), ResultsJson.Indented);
            return document?.EarlierRuns ?? throw new InputException("not a trend file: no earlier_runs", path);
        }
        catch (JsonException ex)
        {
            throw new InputException($"unreadable {Name}: {ex.Message}", path, ex.LineNumber + 1);
        }
    }

    /// <summary>The file's layout: <c>{"schema_version": "1.0", "earlier_runs": [{"run_id", "finished_utc", "suite", "metric", "value", "ci_low", "ci_high", "n", "method"}]}</c>.</summary>
    private sealed record TrendDocument(string SchemaVersion, IReadOnlyList<ReportHistoryPoint> EarlierRuns);
}
