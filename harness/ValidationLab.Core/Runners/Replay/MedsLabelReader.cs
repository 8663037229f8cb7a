using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using ValidationLab.Errors;

namespace ValidationLab.Runners.Replay;

/// <summary>
/// Reads predictions recorded in the MEDS label layout (Medical Event Data Standard, label schema) as CSV:
/// <c>subject_id, prediction_time, boolean_value, predicted_boolean_probability</c> (other MEDS columns such as
/// <c>integer_value</c> or <c>predicted_boolean_value</c> are allowed and ignored), so that a production model's
/// silent-mode log is validated without re-running the model. Parquet is not read: export the table to CSV.
/// <para>Time rule: a <c>prediction_time</c> with an offset (<c>Z</c>, <c>+01:00</c>) is that instant; one without
/// an offset is read as UTC (MEDS stores naive timestamps, and the suites replay on the UTC clock). Times are ISO
/// 8601 (<c>2024-03-01 08:00:00</c> or <c>2024-03-01T08:00:00.000000</c>). Every problem names file, line and
/// field.</para>
/// </summary>
public sealed partial class MedsLabelReader
{
    public const string SubjectColumn = "subject_id";

    public const string TimeColumn = "prediction_time";

    public const string LabelColumn = "boolean_value";

    public const string ProbabilityColumn = "predicted_boolean_probability";

    /// <summary>True when the file's first line names the MEDS subject and prediction-time columns.</summary>
    public static bool LooksLikeMeds(string path)
    {
        if (!File.Exists(path) || !Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim().Trim('"')).ToHashSet(StringComparer.Ordinal) ?? [];
        return header.Contains(SubjectColumn) && header.Contains(TimeColumn);
    }

    /// <summary>Every row of the file; <see cref="InputException"/> on the first malformed one.</summary>
    public IReadOnlyList<MedsPrediction> Read(string path, string displayPath)
    {
        if (!File.Exists(path))
        {
            throw new InputException("predictions file not found", displayPath);
        }

        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension != ".csv")
        {
            throw new InputException(
                extension == ".parquet"
                    ? "MEDS label files are read as CSV; export the parquet table to CSV (e.g. polars: pl.read_parquet(f).write_csv(out))"
                    : $"MEDS label files must be .csv, not '{extension}'",
                displayPath);
        }

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

        foreach (var required in new[] { SubjectColumn, TimeColumn, ProbabilityColumn })
        {
            if (!header.Contains(required, StringComparer.Ordinal))
            {
                throw new InputException(
                    $"the header has no column '{required}'; a MEDS label file has {SubjectColumn},{TimeColumn},{LabelColumn},{ProbabilityColumn} (columns: {string.Join(",", header)})",
                    displayPath, 1, required);
            }
        }

        bool hasLabel = header.Contains(LabelColumn, StringComparer.Ordinal);
        var rows = new List<MedsPrediction>();
        try
        {
            while (csv.Read())
            {
                long line = csv.LineNumber;
                if (csv.FieldCount != header.Count)
                {
                    throw new InputException($"expected {header.Count} fields, found {csv.FieldCount}", displayPath, line);
                }

                var subject = csv.GetString(SubjectColumn)?.Trim();
                if (string.IsNullOrEmpty(subject))
                {
                    throw new InputException("empty subject id", displayPath, line, SubjectColumn);
                }

                var time = ParseTime(csv.GetString(TimeColumn) ?? "", displayPath, line);
                double? probability = csv.GetString(ProbabilityColumn) is { Length: > 0 } p ? ParseProbability(p, displayPath, line) : null;
                bool? label = hasLabel ? ParseLabel(csv.GetString(LabelColumn) ?? "", displayPath, line) : null;
                rows.Add(new MedsPrediction(subject, time, probability, label, line));
            }
        }
        catch (CsvFormatException ex)
        {
            throw new InputException($"malformed CSV: {ex.Message}", displayPath, csv.LineNumber);
        }

        return rows;
    }

    /// <summary>ISO 8601 date and time; with an offset it is that instant, without one it is read as UTC.</summary>
    public static DateTimeOffset ParseTime(string text, string displayPath, long line)
    {
        var trimmed = text.Trim();
        if (!IsoTimestamp().IsMatch(trimmed)
            || !DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new InputException($"'{text}' is not an ISO 8601 date and time such as 2024-03-01 08:00:00", displayPath, line, TimeColumn);
        }

        return time.ToUniversalTime();
    }

    private static double ParseProbability(string text, string displayPath, long line)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p))
        {
            throw new InputException($"'{text}' is not a number", displayPath, line, ProbabilityColumn);
        }

        return p is >= 0 and <= 1 ? p
            : throw new InputException($"probability {p.ToString(CultureInfo.InvariantCulture)} is outside [0, 1]", displayPath, line, ProbabilityColumn);
    }

    private static bool? ParseLabel(string text, string displayPath, long line) => text.Trim().ToLowerInvariant() switch
    {
        "" => null,
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new InputException($"'{text}' is not a boolean (true/false, 1/0)", displayPath, line, LabelColumn),
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)?(Z|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex IsoTimestamp();
}
