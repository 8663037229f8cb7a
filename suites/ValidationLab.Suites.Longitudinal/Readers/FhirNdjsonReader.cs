using System.Globalization;
using System.Text.Json;
using ValidationLab.Errors;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Readers;

/// <summary>
/// Reads FHIR Bulk Data NDJSON (one resource a line, files named Type.NNN.ndjson, optionally gzipped) one patient at
/// a time. Bulk exports are grouped by resource type, not by patient, so the reader works in two passes:
/// <list type="number">
/// <item><b>Index</b>: only each line's resourceType and patient reference are read, with System.Text.Json's
/// Utf8JsonReader (no document is built), stopping as soon as both are known. A line malformed before that point,
/// or a line of a type the timelines do not use, is reported here with its file and line, before any patient is
/// read; a line malformed further on is reported, just as precisely, when its patient is read. The index keeps, per patient and file, runs of consecutive lines (offset,
/// first line, count): a file grouped by patient costs one run per patient, a shuffled one a run per line. Medication
/// resources are remembered here, resource types the timelines do not use are counted here.</item>
/// <item><b>Read</b>: patients in id order; for each, its runs in file order (Patient file first, then by name) and
/// line order — the same order a whole-file read would see them, so timelines are identical — are parsed and
/// mapped, and the patient is built, handed out and forgotten.</item>
/// </list>
/// A plain file is read at the runs' offsets. A gzipped file cannot seek: it is read forward and reopened when a run
/// lies behind the current position, which is free when the file is grouped in patient id order (as the
/// generator writes it) and costly otherwise — decompress such files first.
/// </summary>
internal static class FhirNdjsonReader
{
    private static readonly string[] Mapped = ["Patient", "Encounter", "Observation", "Condition", "MedicationRequest", "Procedure", "DocumentReference"];
    private static readonly byte[][] MappedUtf8 = [.. Mapped.Select(System.Text.Encoding.UTF8.GetBytes)];

    public static Cohort Read(string folder) => Open(folder).Collect();

    public static PatientStream Open(string folder)
    {
        var files = Directory.GetFiles(folder)
            .Where(f => f.EndsWith(".ndjson", StringComparison.Ordinal) || f.EndsWith(".ndjson.gz", StringComparison.Ordinal))
            .Where(f => !Path.GetFileName(f).StartsWith("log.", StringComparison.Ordinal))
            .OrderBy(f => Path.GetFileName(f).StartsWith("Patient.", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(f => f, StringComparer.Ordinal)
            .ToArray();
        var mapper = new FhirMapper();
        var index = new Index();
        for (var i = 0; i < files.Length; i++)
        {
            mapper.AddFile(files[i]);
            IndexFile(files[i], i, mapper, index);
        }

        var empty = new List<string>();
        var orphans = index.Ids.Count(id => !index.Declared.Contains(id));
        return new PatientStream(TimelineReader.FhirNdjson, files, true, ReadPatients(files, mapper, index, empty),
            () => empty, () => mapper.Skipped, () => orphans);
    }

    private static void IndexFile(string file, int fileIndex, FhirMapper mapper, Index index)
    {
        using var reader = new Utf8LineReader(file);
        var scan = new Scan();
        while (reader.TryReadLine(out var memory))
        {
            var line = memory.Span;
            if (line.IndexOfAnyExcept(" \t\r\n\f\v"u8) < 0)
            {
                continue;
            }

            try
            {
                scan.Read(line);
            }
            catch (JsonException ex)
            {
                throw new InputException($"line {reader.LineNumber.ToString(CultureInfo.InvariantCulture)} is not valid JSON: {ex.Message}", file, reader.LineNumber, ex.Path ?? "(line)");
            }

            var type = scan.Type;
            if (type is "Medication" || !scan.IsObject || type is null || Array.IndexOf(Mapped, type) >= 0 && scan.Patient is null)
            {
                // Remembered for MedicationRequests, or malformed: the mapper reads it whole (and names the field).
                Map(memory, file, reader.LineNumber, mapper);
                continue;
            }

            if (Array.IndexOf(Mapped, type) < 0)
            {
                mapper.Skip(type);
                continue;
            }

            index.Add(scan.Patient!, type == "Patient", fileIndex, reader.LineOffset, reader.LineNumber);
        }
    }

    private static IEnumerable<PatientTimeline> ReadPatients(string[] files, FhirMapper mapper, Index index, List<string> empty)
    {
        var runs = index.RunsByPatient();
        var readers = new Utf8LineReader?[files.Length];
        try
        {
            var r = 0;
            while (r < runs.Count)
            {
                var patient = runs[r].Patient;
                for (; r < runs.Count && runs[r].Patient == patient; r++)
                {
                    var run = runs[r];
                    var reader = readers[run.File] ??= new Utf8LineReader(files[run.File]);
                    reader.Seek(run.Offset, run.Line);
                    for (var n = 0; n < run.Count; n++)
                    {
                        reader.TryReadLine(out var line);
                        Map(line, files[run.File], reader.LineNumber, mapper);
                    }
                }

                var id = index.Ids[patient];
                var builder = mapper.Take(id);
                if (builder is null || builder.IsEmpty)
                {
                    empty.Add(id);
                    continue;
                }

                yield return builder.Build(TimelineReader.FhirNdjson);
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader?.Dispose();
            }
        }
    }

    private static void Map(ReadOnlyMemory<byte> line, string file, long lineNumber, FhirMapper mapper)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new InputException($"line {lineNumber.ToString(CultureInfo.InvariantCulture)} is not valid JSON: {ex.Message}", file, lineNumber, ex.Path ?? "(line)");
        }

        using (doc)
        {
            mapper.Map(doc.RootElement, file, lineNumber, where: null);
        }
    }

    private readonly record struct Run(int Patient, int File, long Offset, long Line, int Count);

    /// <summary>Runs of consecutive lines per patient and file, patients numbered in order of first appearance.</summary>
    private sealed class Index
    {
        private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
        private readonly List<Run> _runs = [];
        private string? _lastId;
        private int _lastNumber;

        public List<string> Ids { get; } = [];

        public HashSet<string> Declared { get; } = new(StringComparer.Ordinal);

        public void Add(string patientId, bool declares, int file, long offset, long line)
        {
            if (!ReferenceEquals(patientId, _lastId))
            {
                if (!_numbers.TryGetValue(patientId, out _lastNumber))
                {
                    _lastNumber = Ids.Count;
                    _numbers[patientId] = _lastNumber;
                    Ids.Add(patientId);
                }

                _lastId = patientId;
            }

            if (declares)
            {
                Declared.Add(patientId);
            }

            if (_runs.Count > 0 && _runs[^1] is var last && last.Patient == _lastNumber && last.File == file && last.Line + last.Count == line)
            {
                _runs[^1] = last with { Count = last.Count + 1 };
            }
            else
            {
                _runs.Add(new Run(_lastNumber, file, offset, line, 1));
            }
        }

        /// <summary>The runs ordered by patient id, then file, then line: the order patients are read in.</summary>
        public List<Run> RunsByPatient()
        {
            var rank = new int[Ids.Count];
            var byId = Enumerable.Range(0, Ids.Count).OrderBy(i => Ids[i], StringComparer.Ordinal).ToArray();
            for (var i = 0; i < byId.Length; i++)
            {
                rank[byId[i]] = i;
            }

            var runs = _runs.ToList();
            runs.Sort((a, b) =>
            {
                var c = rank[a.Patient].CompareTo(rank[b.Patient]);
                if (c == 0)
                {
                    c = a.File.CompareTo(b.File);
                }

                return c != 0 ? c : a.Line.CompareTo(b.Line);
            });
            _runs.Clear();
            _runs.TrimExcess();
            return runs;
        }
    }

    /// <summary>
    /// What the index needs from a line: its resourceType and the patient it belongs to (subject.reference, else
    /// patient.reference, as the mapper reads them; a Patient's own id). Tokenizing stops there for the types the
    /// timelines use (the read pass parses those lines whole and reports a syntax error further on, with its file and
    /// line, when it reads that patient); other lines are tokenized to the end, since nothing reads them again.
    /// </summary>
    private sealed class Scan
    {
        private byte[] _lastReference = new byte[64];
        private int _lastReferenceLength = -1;
        private string? _lastPatient;

        public bool IsObject { get; private set; }

        public string? Type { get; private set; }

        public string? Patient { get; private set; }

        public void Read(ReadOnlySpan<byte> json)
        {
            IsObject = false;
            Type = null;
            Patient = null;
            var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
            if (!reader.Read())
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                while (reader.Read())
                {
                }

                return;
            }

            IsObject = true;
            string? subject = null, patient = null, escapedId = null;
            ReadOnlySpan<byte> rawId = default;
            bool subjectSeen = false, hasId = false, enough = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                enough = Type is not null && Array.IndexOf(Mapped, Type) >= 0 && (Type == "Patient" ? hasId : subjectSeen);
                if (enough)
                {
                    // Enough for the index: the read pass parses this line whole and reports any error in the rest
                    // of it. Lines of other types are read only here, so they are tokenized to the end.
                    break;
                }

                if (reader.ValueTextEquals("resourceType"u8))
                {
                    reader.Read();
                    Type = reader.TokenType == JsonTokenType.String ? TypeName(ref reader) : null;
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    // Kept as bytes: only a Patient's id becomes a string (the type may come after the id).
                    reader.Read();
                    hasId = reader.TokenType is JsonTokenType.String or JsonTokenType.Number;
                    escapedId = hasId && reader.ValueIsEscaped ? reader.GetString() : null;
                    rawId = hasId ? reader.ValueSpan : default;
                }
                else if (reader.ValueTextEquals("subject"u8))
                {
                    subjectSeen = true;
                    subject = Reference(ref reader);
                }
                else if (reader.ValueTextEquals("patient"u8))
                {
                    patient = Reference(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (!enough)
            {
                while (reader.Read())
                {
                    // Anything after the resource is a syntax error, which Read throws.
                }
            }

            Patient = Type == "Patient"
                ? hasId ? escapedId ?? System.Text.Encoding.UTF8.GetString(rawId) : null
                : subjectSeen ? subject : patient;
        }

        private static string TypeName(ref Utf8JsonReader reader)
        {
            for (var i = 0; i < MappedUtf8.Length; i++)
            {
                if (reader.ValueTextEquals(MappedUtf8[i]))
                {
                    return Mapped[i];
                }
            }

            return reader.ValueTextEquals("Medication"u8) ? "Medication" : reader.GetString()!;
        }

        /// <summary>The patient id in {"reference": "Patient/X"} (or "urn:uuid:X", or "X"); the same string for a repeated reference.</summary>
        private string? Reference(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return null;
            }

            string? found = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("reference"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                reader.Read();
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
                {
                    reader.Skip();
                    found = null;
                    continue;
                }

                var raw = reader.ValueSpan;
                if (!reader.ValueIsEscaped && raw.SequenceEqual(_lastReference.AsSpan(0, Math.Max(0, _lastReferenceLength))) && _lastReferenceLength >= 0)
                {
                    found = _lastPatient;
                    continue;
                }

                var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : System.Text.Encoding.UTF8.GetString(raw);
                found = FhirMapper.Ref(text);
                if (!reader.ValueIsEscaped)
                {
                    if (raw.Length > _lastReference.Length)
                    {
                        _lastReference = new byte[raw.Length * 2];
                    }

                    raw.CopyTo(_lastReference);
                    _lastReferenceLength = raw.Length;
                    _lastPatient = found;
                }
            }

            return found is { Length: > 0 } ? found : null;
        }
    }
}
