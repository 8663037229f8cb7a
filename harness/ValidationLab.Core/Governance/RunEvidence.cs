using System.Text.Json;
using System.Text.Json.Nodes;
using ValidationLab.Errors;

namespace ValidationLab.Governance;

/// <summary>A run folder's evidence as the gate reads it: results.json as JSON, its run id and SHA-256.</summary>
public sealed record RunEvidence(string Directory, JsonNode Results, string RunId, string ResultsSha256)
{
    public static RunEvidence Load(string directory)
    {
        var dir = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(dir))
        {
            throw new InputException("run folder not found", directory);
        }

        var path = Path.Combine(dir, Evidence.Results);
        if (!File.Exists(path))
        {
            throw new InputException($"not a run folder: {Evidence.Results} is missing", directory);
        }

        var results = ReadJson(path);
        var runId = (results["manifest"] as JsonObject)?["run_id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String
            ? id.GetValue<string>()
            : throw new InputException("results.json has no manifest.run_id", path, field: "manifest.run_id");
        return new RunEvidence(dir, results, runId, Evidence.FileSha256(path));
    }

    /// <summary>A JSON file as a node; unreadable JSON names the file and line.</summary>
    public static JsonNode ReadJson(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) ?? throw new InputException("the file holds null, not an object", path);
        }
        catch (JsonException ex)
        {
            throw new InputException($"unreadable JSON: {ex.Message}", path, (ex.LineNumber ?? 0) + 1);
        }
    }
}
