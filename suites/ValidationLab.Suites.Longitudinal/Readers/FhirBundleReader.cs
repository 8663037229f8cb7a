using System.Text;
using System.Text.Json;
using ValidationLab.Errors;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Readers;

/// <summary>Reads FHIR R4 Bundles (one JSON file each, or a folder of them), entry by entry.</summary>
internal static class FhirBundleReader
{
    public static Cohort Read(string path, string? displayRoot = null)
    {
        var files = Directory.Exists(path)
            ? Directory.GetFiles(path, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToArray()
            : [path];
        var mapper = new FhirMapper();
        foreach (var file in files)
        {
            mapper.AddFile(file);
            using var stream = File.OpenRead(file);
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(stream);
            }
            catch (JsonException ex)
            {
                throw new InputException($"not valid JSON: {ex.Message}", file, ex.LineNumber + 1, ex.Path ?? "(document)");
            }

            using (doc)
            {
                var root = doc.RootElement;
                var type = FhirMapper.Str(root, "resourceType");
                if (type != "Bundle")
                {
                    // Hospital and practitioner information files sit beside Synthea's patient bundles: not patient data.
                    throw new InputException($"expected a FHIR Bundle, found resourceType '{type ?? "(none)"}'", file, null, "resourceType");
                }

                if (!root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var entry in entries.EnumerateArray())
                {
                    if (entry.TryGetProperty("resource", out var r))
                    {
                        mapper.Remember(r);
                    }
                }

                var i = 0;
                foreach (var entry in entries.EnumerateArray())
                {
                    if (!entry.TryGetProperty("resource", out var resource))
                    {
                        throw new InputException($"entry {i} has no resource", file, null, $"entry[{i}].resource");
                    }

                    mapper.Map(resource, file, null, $"entry {i}");
                    i++;
                }
            }
        }

        return mapper.Finish("fhir-bundle");
    }
}

/// <summary>Opens text files, transparently un-gzipping "*.gz" (MIMIC's CSVs are read as they are shipped).</summary>
internal static class TextInputs
{
    public static StreamReader Open(string file)
    {
        Stream stream = File.OpenRead(file);
        if (file.EndsWith(".gz", StringComparison.Ordinal))
        {
            stream = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        }

        return new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }
}
