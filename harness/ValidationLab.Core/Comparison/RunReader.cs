using System.Text.Json;
using ValidationLab.Errors;
using ValidationLab.Output;
using ValidationLab.Results;

namespace ValidationLab.Comparison;

/// <summary>A finished run read back from its folder: results.json and items.jsonl.</summary>
public sealed record LoadedRun(string Directory, RunResult Result, IReadOnlyList<ItemResult> Items)
{
    /// <summary>
    /// <c>manifest.limit</c> of results.json: the run covered only some items (<c>--limit</c>). Null for a full run,
    /// and for run folders written before the field existed (absent is read as a full run).
    /// </summary>
    public RunLimit? Limit { get; init; }

    /// <summary>Read a run folder; every problem names the file and line.</summary>
    public static LoadedRun Load(string directory)
    {
        var dir = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(dir))
        {
            throw new InputException("run folder not found", directory);
        }

        var resultsPath = Path.Combine(dir, "results.json");
        var itemsPath = Path.Combine(dir, "items.jsonl");
        foreach (var required in new[] { resultsPath, itemsPath })
        {
            if (!File.Exists(required))
            {
                throw new InputException($"not a run folder: {Path.GetFileName(required)} is missing", directory);
            }
        }

        RunResult result;
        RunLimit? limit;
        try
        {
            using var stream = File.OpenRead(resultsPath);
            using var document = JsonDocument.Parse(stream);
            result = document.Deserialize<RunResult>(ResultsJson.Indented)
                ?? throw new InputException("results.json is empty", resultsPath);
            limit = ReadLimit(document.RootElement, resultsPath);
        }
        catch (JsonException ex)
        {
            throw new InputException($"unreadable results.json: {ex.Message}", resultsPath, ex.LineNumber + 1);
        }

        var items = new List<ItemResult>();
        long line = 0;
        foreach (var text in File.ReadLines(itemsPath))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                items.Add(JsonSerializer.Deserialize<ItemResult>(text, ResultsJson.Compact) ?? throw new JsonException("null item"));
            }
            catch (JsonException ex)
            {
                throw new InputException($"unreadable item: {ex.Message}", itemsPath, line);
            }
        }

        return new LoadedRun(dir, result, items) { Limit = limit };
    }

    /// <summary>
    /// Read from the document rather than the manifest type so that folders written before and after the field was
    /// added both load: absent or null is a full run.
    /// </summary>
    private static RunLimit? ReadLimit(JsonElement root, string resultsPath)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("manifest", out var manifest) || manifest.ValueKind != JsonValueKind.Object
            || !manifest.TryGetProperty("limit", out var limit) || limit.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (limit.ValueKind != JsonValueKind.Object
            || !limit.TryGetProperty("count", out var count) || count.ValueKind != JsonValueKind.Number || !count.TryGetInt32(out var n) || n < 0)
        {
            throw new InputException("expected {\"count\": N, \"sampled\": true|false, \"seed\": S} or null", resultsPath, field: "manifest.limit");
        }

        var sampled = limit.TryGetProperty("sampled", out var s) && s.ValueKind == JsonValueKind.True;
        long? seed = limit.TryGetProperty("seed", out var sd) && sd.ValueKind == JsonValueKind.Number && sd.TryGetInt64(out var v) ? v : null;
        return new RunLimit(n, sampled, seed);
    }
}
