using System.Text.Json;
using ValidationLab.Exporters;
using ValidationLab.Results;

namespace ValidationLab.Output;

/// <summary>
/// model-card.json: the model card the run's report shows (from the config's <c>model_card:</c> or
/// <c>--model-card</c>), so that <c>validationlab report</c> renders the same page again. Written only when a run was
/// given a model card; keys as in the file format, absent when not stated.
/// </summary>
public sealed class ModelCardJsonExporter(ReportModelCard card) : IRunExporter
{
    /// <inheritdoc />
    public string FileName => RunWriter.ModelCardFile;

    /// <inheritdoc />
    public async Task WriteAsync(RunResult run, IReadOnlyList<ItemResult> items, Stream destination, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        Write(json, "intended_use", card.IntendedUse);
        Write(json, "population", card.Population);
        Write(json, "limitations", card.Limitations);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Write(Utf8JsonWriter json, string key, string? value)
    {
        if (value is not null)
        {
            json.WriteString(key, value);
        }
    }
}
