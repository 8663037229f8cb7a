using System.Globalization;
using CsvHelper;
using ValidationLab.Exporters;
using ValidationLab.Results;

namespace ValidationLab.Output;

/// <summary>
/// items.csv for spreadsheets: one row per item, strata as extra columns. Text cells starting with = + - @ (or a
/// tab or carriage return) get a leading apostrophe because model outputs are hostile and spreadsheets execute
/// formulas; number cells are left alone so that a negative score stays a number.
/// </summary>
public sealed class ItemsCsvExporter : IRunExporter
{
    private static readonly string[] Fixed =
        ["suite", "item_id", "cluster_id", "status", "correct", "prediction", "gold", "score", "latency_ms", "prompt_hash", "error", "explanation", "response"];

    public string FileName => "items.csv";

    public Task WriteAsync(RunResult run, IReadOnlyList<ItemResult> items, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var strata = items.SelectMany(i => i.Strata.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var options = new CsvWriterOptions
        {
            FormatProvider = CultureInfo.InvariantCulture,
            NewLine = "\n",
            Injection = CsvInjection.None,
        };
        using var writer = new StreamWriter(destination, leaveOpen: true);
        using (var csv = CsvWriter.Create(writer, options, leaveOpen: true))
        {
            csv.WriteRecord([.. Fixed, .. strata]);
            foreach (var i in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                csv.WriteRecord([
                    Text(i.Suite), Text(i.ItemId), Text(i.ClusterId), Status(i.Status), i.Correct switch { true => "true", false => "false", null => "" },
                    Text(i.Prediction), Text(i.Gold), i.Score?.ToString("R", CultureInfo.InvariantCulture) ?? "",
                    i.LatencyMs.ToString("R", CultureInfo.InvariantCulture), i.PromptHash ?? "", Text(i.Error), Text(i.Explanation), Text(i.Response),
                    .. strata.Select(s => Text(i.Strata.TryGetValue(s, out var v) ? v : null)),
                ]);
            }
        }

        writer.Flush();
        return Task.CompletedTask;
    }

    /// <summary>OWASP's CSV-injection rule: neutralise a leading formula character in text.</summary>
    private static string Text(string? value) =>
        value is { Length: > 0 } && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value ?? "";

    private static string Status(ItemStatus status) => status switch
    {
        ItemStatus.Scored => "scored",
        ItemStatus.Unparseable => "unparseable",
        _ => "errored",
    };
}
