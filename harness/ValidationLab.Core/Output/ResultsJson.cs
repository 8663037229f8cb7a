using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ValidationLab.Output;

/// <summary>
/// The one JSON dialect of ValidationLab's files: snake_case names, enums as snake_case strings, nulls written
/// (so the shape never depends on the data), shortest round-trip numbers. Dictionary keys are left as they are.
/// </summary>
public static class ResultsJson
{
    /// <summary>Indented, for results.json and comparison.json.</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    /// <summary>One object per line, for items.jsonl.</summary>
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            WriteIndented = indented,
            // Files are data, not HTML: keep clinical text readable. The HTML report encodes on its own.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
