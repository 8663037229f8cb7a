using System.Text;

namespace ValidationLab.Governance;

/// <summary>
/// signoffs.jsonl in the run folder: the run's sign-off records, one canonical JSON line each, appended only. The
/// store is the record of authority; the mirror travels with the run (the report shows it) and is checked against it.
/// </summary>
public static class SignoffMirror
{
    /// <summary>The records in file order, and a problem per line that is not a record.</summary>
    public static (IReadOnlyList<SignoffRecord> Records, IReadOnlyList<string> Problems) Read(string path)
    {
        var records = new List<SignoffRecord>();
        var problems = new List<string>();
        if (!File.Exists(path))
        {
            return (records, problems);
        }

        var line = 0;
        foreach (var text in File.ReadLines(path, Encoding.UTF8))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (SignoffRecord.FromJsonLine(text, out var error) is { } record)
            {
                records.Add(record);
            }
            else
            {
                problems.Add($"{Path.GetFileName(path)} line {line} is not a sign-off record ({error})");
            }
        }

        return (records, problems);
    }

    /// <summary>Appends one record and flushes it to disk before returning.</summary>
    public static void Append(string path, SignoffRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        var bytes = Encoding.UTF8.GetBytes(record.ToJsonLine() + "\n");
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
