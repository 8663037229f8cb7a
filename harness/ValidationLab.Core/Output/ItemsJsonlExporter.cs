using System.Text.Json;
using ValidationLab.Exporters;
using ValidationLab.Results;

namespace ValidationLab.Output;

/// <summary>items.jsonl: every item result, one JSON object per line, in suite and load order.</summary>
public sealed class ItemsJsonlExporter : IRunExporter
{
    public string FileName => "items.jsonl";

    public async Task WriteAsync(RunResult run, IReadOnlyList<ItemResult> items, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var part in items is ItemSegments segments ? segments.Parts : [items])
        {
            if (part is JsonlItemList staged && await staged.TryCopyToAsync(destination, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            foreach (var item in part)
            {
                await JsonSerializer.SerializeAsync(destination, item, ResultsJson.Compact, cancellationToken).ConfigureAwait(false);
                destination.WriteByte((byte)'\n');
            }
        }
    }
}
