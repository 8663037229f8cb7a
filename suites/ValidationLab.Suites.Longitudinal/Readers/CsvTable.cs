using System.Globalization;
using CsvHelper;
using ValidationLab.Errors;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Readers;

/// <summary>
/// A CSV file read row by row with CsvHelper (gzipped or not), with errors that name the file, the line and the
/// column. Columns are addressed by header name, so a reordered file still reads.
/// </summary>
internal sealed class CsvTable : IDisposable
{
    private readonly CsvReader _csv;
    private readonly HashSet<string> _headers;
    private readonly int _columns;

    private CsvTable(string file)
    {
        File = file;
        var options = new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true, FormatProvider = CultureInfo.InvariantCulture };
        Stream stream = System.IO.File.OpenRead(file);
        if (file.EndsWith(".gz", StringComparison.Ordinal))
        {
            stream = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        }

        _csv = CsvReader.Create(stream, options, false);
        try
        {
            _csv.ReadHeader();
        }
        catch (Exception ex) when (ex is CsvFormatException or InvalidOperationException)
        {
            _csv.Dispose();
            throw new InputException($"cannot read the header: {ex.Message}", file, 1, "(header)");
        }

        _headers = new HashSet<string>(_csv.Headers, StringComparer.Ordinal);
        _columns = _csv.Headers.Count;
        if (_columns == 0)
        {
            _csv.Dispose();
            throw new InputException("the file is empty (no header row)", file, 1, "(header)");
        }
    }

    public string File { get; }

    /// <summary>The 1-based line the current row starts on.</summary>
    public long Line => _csv.LineNumber;

    public static CsvTable Open(string file, params string[] requiredColumns)
    {
        var table = new CsvTable(file);
        foreach (var column in requiredColumns)
        {
            if (!table._headers.Contains(column))
            {
                table.Dispose();
                throw new InputException($"the header has no column '{column}'", file, 1, column);
            }
        }

        return table;
    }

    public bool Read()
    {
        bool more;
        try
        {
            more = _csv.Read();
        }
        catch (CsvFormatException ex)
        {
            throw new InputException($"malformed row: {ex.Message}", File, Line, "(row)");
        }

        if (more && _csv.FieldCount != _columns)
        {
            throw new InputException($"expected {_columns} fields as in the header, found {_csv.FieldCount}", File, Line, "(row)");
        }

        return more;
    }

    public bool Has(string column) => _headers.Contains(column);

    /// <summary>The field, or null when empty or absent.</summary>
    public string? Opt(string column)
    {
        if (!_headers.Contains(column))
        {
            return null;
        }

        var v = _csv.GetString(column);
        return string.IsNullOrEmpty(v) ? null : v;
    }

    public string Req(string column) => Opt(column) ?? throw Error("is empty", column);

    public DateTime Time(string column)
    {
        var text = Req(column);
        return Times.TryParse(text, out var t) ? t : throw Error($"'{text}' is not a timestamp", column);
    }

    public DateTime? OptTime(string column)
    {
        var text = Opt(column);
        return text is null ? null : Times.TryParse(text, out var t) ? t : throw Error($"'{text}' is not a timestamp", column);
    }

    /// <summary>A date column (MIMIC's STARTDATE, CHARTDATE): made known at the end of its day, see <see cref="Times"/>.</summary>
    public DateTime? OptDate(string column)
    {
        var text = Opt(column);
        if (text is null)
        {
            return null;
        }

        return text.Length >= 10 && Times.TryParse(text[..10], out var t) ? t : throw Error($"'{text}' is not a date", column);
    }

    public double? Number(string column)
    {
        var text = Opt(column);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw Error($"'{text}' is not a number", column);
    }

    public InputException Error(string message, string column) => new(message, File, Line, column);

    public void Dispose()
    {
        _csv.Dispose();
    }
}
