using System.Globalization;
using System.Text.Json;
using CsvHelper;
using ValidationLab.Errors;

namespace ValidationLab.Runners.Replay;

/// <summary>
/// Reads recorded predictions from CSV (header <c>item_id,response</c>, optionally <c>probability</c> and
/// <c>suite</c>) or JSONL (<c>{"item_id":..,"response":..}</c>). Column names can be remapped and rows filtered
/// (<c>filter.model=gpt-4o</c>) so that files produced elsewhere are read as they are. Every problem names the
/// file, line and column.
/// </summary>
public sealed class PredictionFileReader
{
    public string IdColumn { get; init; } = "item_id";

    public string ResponseColumn { get; init; } = "response";

    public string ProbabilityColumn { get; init; } = "probability";

    public string SuiteColumn { get; init; } = "suite";

    /// <summary>Keep only rows whose column equals the value.</summary>
    public IReadOnlyDictionary<string, string> Filters { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<RecordedPrediction> Read(string path, string displayPath)
    {
        if (!File.Exists(path))
        {
            throw new InputException("predictions file not found", displayPath);
        }

        var seen = Filters.Keys.ToDictionary(k => k, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var rows = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(path, displayPath, seen),
            ".jsonl" or ".ndjson" => ReadJsonl(path, displayPath, seen),
            var ext => throw new InputException($"predictions must be .csv or .jsonl, not '{ext}'", displayPath),
        };
        CheckFilters(seen, displayPath);
        return rows;
    }

    /// <summary>A filter value that no row has is a typo until shown otherwise: name the values the file does have.</summary>
    private void CheckFilters(Dictionary<string, SortedSet<string>> seen, string displayPath)
    {
        const int shown = 30;
        foreach (var (column, wanted) in Filters.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var values = seen[column];
            if (values.Count > 0 && !values.Contains(wanted))
            {
                var list = string.Join(", ", values.Take(shown)) + (values.Count > shown ? $", ... ({values.Count} values)" : "");
                throw new InputException($"no row has {column} = '{wanted}'; the values in column '{column}' are: {list}", displayPath, field: "filter." + column);
            }
        }
    }

    private List<RecordedPrediction> ReadCsv(string path, string displayPath, Dictionary<string, SortedSet<string>> seen)
    {
        // CsvHelper 34: the reader is created by factory and tracks physical line numbers for our messages.
        var options = new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true, FormatProvider = CultureInfo.InvariantCulture };
        using var csv = CsvReader.FromFile(path, options, FileOptions.SequentialScan);
        IReadOnlyList<string> header;
        try
        {
            csv.ReadHeader();
            header = csv.Headers;
        }
        catch (Exception ex) when (ex is CsvFormatException or InvalidOperationException)
        {
            throw new InputException($"unreadable header: {ex.Message}", displayPath, 1);
        }

        if (header.Count == 0)
        {
            throw new InputException("the file is empty; expected a header such as item_id,response", displayPath, 1);
        }

        foreach (var required in new[] { IdColumn, ResponseColumn }.Concat(Filters.Keys))
        {
            if (!header.Contains(required, StringComparer.Ordinal))
            {
                throw new InputException($"the header has no column '{required}' (columns: {string.Join(",", header)})", displayPath, 1, required);
            }
        }

        var hasProbability = header.Contains(ProbabilityColumn, StringComparer.Ordinal);
        var hasSuite = header.Contains(SuiteColumn, StringComparer.Ordinal);
        var rows = new List<RecordedPrediction>();
        try
        {
            while (csv.Read())
            {
                var line = csv.LineNumber;
                if (csv.FieldCount != header.Count)
                {
                    throw new InputException($"expected {header.Count} fields, found {csv.FieldCount}", displayPath, line);
                }

                foreach (var (column, values) in seen)
                {
                    values.Add(csv.GetString(column) ?? "");
                }

                if (Filters.Any(f => csv.GetString(f.Key) != f.Value))
                {
                    continue;
                }

                var id = csv.GetString(IdColumn);
                if (string.IsNullOrWhiteSpace(id))
                {
                    throw new InputException("empty item id", displayPath, line, IdColumn);
                }

                double? probability = null;
                if (hasProbability && csv.GetString(ProbabilityColumn) is { Length: > 0 } p)
                {
                    probability = ParseProbability(p, displayPath, line);
                }

                rows.Add(new RecordedPrediction(hasSuite ? NullIfEmpty(csv.GetString(SuiteColumn)) : null, id.Trim(), csv.GetString(ResponseColumn), probability, line));
            }
        }
        catch (CsvFormatException ex)
        {
            throw new InputException($"malformed CSV: {ex.Message}", displayPath, csv.LineNumber);
        }

        return rows;
    }

    private List<RecordedPrediction> ReadJsonl(string path, string displayPath, Dictionary<string, SortedSet<string>> seen)
    {
        var rows = new List<RecordedPrediction>();
        long line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(text);
            }
            catch (JsonException ex)
            {
                throw new InputException($"malformed JSON: {ex.Message}", displayPath, line);
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new InputException("each line must be a JSON object", displayPath, line);
                }

                var root = doc.RootElement;
                foreach (var (column, values) in seen)
                {
                    if (Text(root, column) is { } v)
                    {
                        values.Add(v);
                    }
                }

                if (Filters.Any(f => Text(root, f.Key) != f.Value))
                {
                    continue;
                }

                var id = Text(root, IdColumn) ?? throw new InputException("missing item id", displayPath, line, IdColumn);
                if (!root.TryGetProperty(ResponseColumn, out _) && !root.TryGetProperty(ProbabilityColumn, out _))
                {
                    throw new InputException($"missing '{ResponseColumn}'", displayPath, line, ResponseColumn);
                }

                double? probability = null;
                if (root.TryGetProperty(ProbabilityColumn, out var p) && p.ValueKind != JsonValueKind.Null)
                {
                    probability = p.ValueKind == JsonValueKind.Number ? Check(p.GetDouble(), displayPath, line)
                        : ParseProbability(p.ToString(), displayPath, line);
                }

                rows.Add(new RecordedPrediction(Text(root, SuiteColumn), id, Text(root, ResponseColumn), probability, line));
            }
        }

        return rows;
    }

    /// <summary>Strings as they are; numbers by their JSON text (realidx 12 becomes "12").</summary>
    private static string? Text(JsonElement obj, string name) =>
        !obj.TryGetProperty(name, out var v) ? null
        : v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null => null,
            _ => v.GetRawText(),
        };

    private double ParseProbability(string text, string displayPath, long line) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? Check(v, displayPath, line)
        : throw new InputException($"'{text}' is not a number", displayPath, line, ProbabilityColumn);

    private double Check(double p, string displayPath, long line) =>
        p is >= 0 and <= 1 ? p : throw new InputException($"probability {p.ToString(CultureInfo.InvariantCulture)} is outside [0, 1]", displayPath, line, ProbabilityColumn);

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
