using System.Globalization;
using CsvHelper;
using ValidationLab.Exporters;
using ValidationLab.Results;

namespace ValidationLab.Output;

/// <summary>
/// items.csv for spreadsheets: one row per item, strata as extra columns. Cells starting with = + - @ are escaped
/// because model outputs are hostile and spreadsheets execute formulas.
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
            Injection = CsvInjection.Escape,
        };
        using var writer = new StreamWriter(destination, leaveOpen: true);
        using (var csv = CsvWriter.Create(writer, options, leaveOpen: true))
        {
            csv.WriteRecord([.. Fixed, .. strata]);
            foreach (var i in items)
            {
                cancellationToken.ThrowIfCancellationRequested();
                csv.WriteRecord([
                    i.Suite, i.ItemId, i.ClusterId ?? "", Status(i.Status), i.Correct switch { true => "true", false => "false", null => "" },
                    i.Prediction ?? "", i.Gold ?? "", i.Score?.ToString("R", CultureInfo.InvariantCulture) ?? "",
                    i.LatencyMs.ToString("R", CultureInfo.InvariantCulture), i.PromptHash ?? "", i.Error ?? "", i.Explanation, i.Response ?? "",
                    .. strata.Select(s => i.Strata.TryGetValue(s, out var v) ? v : ""),
                ]);
            }
        }

        writer.Flush();
        return Task.CompletedTask;
    }

    private static string Status(ItemStatus status) => status switch
    {
        ItemStatus.Scored => "scored",
        ItemStatus.Unparseable => "unparseable",
        _ => "errored",
    };
}
