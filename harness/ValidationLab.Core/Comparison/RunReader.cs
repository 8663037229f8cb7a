using System.Text.Json;
using ValidationLab.Errors;
using ValidationLab.Output;
using ValidationLab.Results;

namespace ValidationLab.Comparison;

/// <summary>A finished run read back from its folder: results.json and items.jsonl.</summary>
public sealed record LoadedRun(string Directory, RunResult Result, IReadOnlyList<ItemResult> Items)
{
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
        try
        {
            using var stream = File.OpenRead(resultsPath);
            result = JsonSerializer.Deserialize<RunResult>(stream, ResultsJson.Indented)
                ?? throw new InputException("results.json is empty", resultsPath);
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

        return new LoadedRun(dir, result, items);
    }
}
