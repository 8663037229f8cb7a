using ValidationLab.Errors;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Readers;

/// <summary>The source formats, and the one entry point that picks a reader for a path.</summary>
public static class TimelineReader
{
    public const string FhirBundle = "fhir-bundle";
    public const string FhirNdjson = "fhir-ndjson";
    public const string SyntheaCsv = "synthea-csv";
    public const string Mimic3 = "mimic3";

    public static IReadOnlyList<string> Formats { get; } = [FhirBundle, FhirNdjson, SyntheaCsv, Mimic3];

    /// <summary>Guess the format from what the path holds; null when nothing fits.</summary>
    public static string? Detect(string path)
    {
        if (File.Exists(path))
        {
            return path.EndsWith(".json", StringComparison.Ordinal) ? FhirBundle : null;
        }

        if (!Directory.Exists(path))
        {
            return null;
        }

        if (Mimic3Reader.Looks(path))
        {
            return Mimic3;
        }

        if (File.Exists(Path.Combine(path, "patients.csv")) && File.Exists(Path.Combine(path, "encounters.csv")))
        {
            return SyntheaCsv;
        }

        if (Directory.EnumerateFiles(path).Any(f => f.EndsWith(".ndjson", StringComparison.Ordinal) || f.EndsWith(".ndjson.gz", StringComparison.Ordinal)))
        {
            return FhirNdjson;
        }

        return Directory.EnumerateFiles(path, "*.json").Any() ? FhirBundle : null;
    }

    /// <summary>Read every patient at <paramref name="path"/>; <paramref name="format"/> null means detect.</summary>
    public static Cohort Read(string path, string? format = null) => Open(path, format).Collect();

    /// <summary>
    /// The patients at <paramref name="path"/> one at a time, by id. FHIR NDJSON is streamed (an index pass, then one
    /// patient at a time, see <see cref="FhirNdjsonReader"/>); the other formats are read whole and handed over.
    /// Malformed JSON is reported here, before any patient is handed out; a bad field when its patient is read.
    /// </summary>
    public static PatientStream Open(string path, string? format = null)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InputException("no such file or folder", path, null, "data");
        }

        format ??= Detect(path) ?? throw new InputException(
            $"cannot tell the format of this data; name it with the suite option 'format' ({string.Join(", ", Formats)})", path, null, "format");
        return format switch
        {
            FhirBundle => PatientStream.Of(FhirBundleReader.Read(path)),
            FhirNdjson => FhirNdjsonReader.Open(path),
            SyntheaCsv => PatientStream.Of(SyntheaCsvReader.Read(path)),
            Mimic3 => PatientStream.Of(Mimic3Reader.Read(path)),
            _ => throw new InputException($"unknown format '{format}' (use {string.Join(", ", Formats)})", path, null, "format"),
        };
    }
}
