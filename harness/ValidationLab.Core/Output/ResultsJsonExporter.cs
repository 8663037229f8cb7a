using System.Text.Json;
using ValidationLab.Exporters;
using ValidationLab.Results;

namespace ValidationLab.Output;

/// <summary>results.json: manifest, suite metrics with intervals, accounting, warnings (docs/results-schema.md).</summary>
public sealed class ResultsJsonExporter : IRunExporter
{
    public string FileName => "results.json";

    public async Task WriteAsync(RunResult run, IReadOnlyList<ItemResult> items, Stream destination, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(destination, run, ResultsJson.Indented, cancellationToken).ConfigureAwait(false);
        await destination.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }
}
