using ValidationLab.Errors;
using ValidationLab.Exporters;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ValidationLab.Configuration;

/// <summary>
/// The model card a report shows (intended use, population, limitations), from a file (<c>model-card.json</c> or
/// <c>.yaml</c>: the keys <c>intended_use</c>, <c>population</c>, <c>limitations</c>, each optional text) or from a run
/// config's <c>model_card:</c> entry, which is either that block inline or the path of such a file (relative to the
/// config). JSON is read by the YAML parser too (JSON is YAML), so every mistake names the file, line and key.
/// </summary>
public static class ModelCardReader
{
    /// <summary>The keys a model card may have.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["intended_use", "population", "limitations"];

    /// <summary>Read and check a model-card file.</summary>
    public static ReportModelCard Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new InputException("model card file not found", path, field: "model_card");
        }

        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(File.ReadAllText(path)));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException ex)
        {
            throw new InputException($"model card is not valid JSON or YAML: {ex.InnerException?.Message ?? ex.Message}", path, ex.Start.Line);
        }
        catch (InvalidOperationException ex)
        {
            // As in YamlConfigReader: some malformed inputs escape YamlDotNet's scanner as InvalidOperationException.
            throw new InputException($"model card is not valid JSON or YAML: {ex.Message}", path, scanner.CurrentPosition.Line);
        }

        if (stream.Documents.Count == 0)
        {
            throw new InputException($"model card is empty; expected an object with {string.Join(", ", Keys)}", path, 1);
        }

        return FromBlock(stream.Documents[0].RootNode, path);
    }

    /// <summary>A config's <c>model_card:</c> value: an inline block, or a file path relative to <paramref name="baseDirectory"/>.</summary>
    public static ReportModelCard FromConfig(YamlNode node, string configPath, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is YamlScalarNode { Value: { Length: > 0 } file })
        {
            return Read(Path.GetFullPath(file, baseDirectory));
        }

        return FromBlock(node, configPath);
    }

    private static ReportModelCard FromBlock(YamlNode node, string path)
    {
        if (node is not YamlMappingNode map)
        {
            throw new InputException($"model_card must be an object with {string.Join(", ", Keys)} (or, in a run config, the path of a model-card file)",
                path, node.Start.Line, "model_card");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!Keys.Contains(key, StringComparer.Ordinal))
            {
                throw new InputException($"unknown model card key '{key}' (known: {string.Join(", ", Keys)})", path, keyNode.Start.Line, "model_card." + key);
            }

            if (value is not YamlScalarNode { Value: { } text } || (value is YamlScalarNode { Style: ScalarStyle.Plain } plain && plain.Value is "null" or "~"))
            {
                throw new InputException($"model card '{key}' must be text", path, value.Start.Line, "model_card." + key);
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                throw new InputException($"model card '{key}' is empty; leave the key out if it is not stated", path, value.Start.Line, "model_card." + key);
            }

            values[key] = text;
        }

        return new ReportModelCard(values.GetValueOrDefault("intended_use"), values.GetValueOrDefault("population"), values.GetValueOrDefault("limitations"));
    }
}
