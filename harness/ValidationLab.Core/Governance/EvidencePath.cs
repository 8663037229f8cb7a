using System.Text.Json.Nodes;
using ValidationLab.Errors;

namespace ValidationLab.Governance;

/// <summary>
/// A dotted path into a run's evidence, as written in a policy: <c>suites.medqa.metrics.accuracy.ci_low</c> reads
/// results.json (a leading <c>results.</c> may be written), <c>comparison.suites.medqa.non_inferiority.passed</c>
/// reads comparison.json; <c>*</c> matches every key of an object or element of an array (collections only).
/// A path that does not resolve is a policy error naming the file, line and key: never a silent pass.
/// </summary>
public sealed record EvidencePath
{
    public const string ResultsRoot = "results";
    public const string ComparisonRoot = "comparison";

    /// <summary>The path as written.</summary>
    public required string Text { get; init; }

    /// <summary>results or comparison; null for a path relative to a collection element.</summary>
    public string? Document { get; init; }

    public required IReadOnlyList<string> Segments { get; init; }

    /// <summary>Policy file, line and key where the path was written (for messages).</summary>
    public required string File { get; init; }

    public required long Line { get; init; }

    public required string Key { get; init; }

    public bool HasWildcard => Segments.Contains("*");

    /// <summary>Parses <paramref name="text"/>; <paramref name="relative"/> paths name no document.</summary>
    public static EvidencePath Parse(string text, bool relative, string file, long line, string key)
    {
        var segments = text.Split('.');
        if (text.Length == 0 || segments.Any(s => s.Length == 0 || s.Trim() != s))
        {
            throw new InputException($"'{text}' is not a path: write dot-separated keys such as suites.medqa.metrics.accuracy.ci_low", file, line, key);
        }

        string? document = null;
        if (!relative)
        {
            document = segments[0] == ComparisonRoot ? ComparisonRoot : ResultsRoot;
            if (segments[0] is ComparisonRoot or ResultsRoot)
            {
                segments = segments[1..];
            }

            if (segments.Length == 0)
            {
                throw new InputException($"'{text}' names a whole file; name a value in it", file, line, key);
            }
        }

        return new EvidencePath { Text = text, Document = document, Segments = segments, File = file, Line = line, Key = key };
    }

    /// <summary>The one node at this path (no wildcards); a missing key is a policy error.</summary>
    public JsonNode? Resolve(JsonNode? root, string documentName)
    {
        var matches = ResolveAll(root, documentName);
        return matches[0].Node;
    }

    /// <summary>
    /// Every node this path matches, with the concrete path of each (wildcards filled in). A key that is missing
    /// before or without a wildcard is a policy error; a wildcard over an empty collection matches nothing.
    /// </summary>
    public IReadOnlyList<(string Path, JsonNode? Node)> ResolveAll(JsonNode? root, string documentName)
    {
        var current = new List<(string Path, JsonNode? Node)> { ("", root) };
        foreach (var segment in Segments)
        {
            var next = new List<(string, JsonNode?)>();
            foreach (var (path, node) in current)
            {
                var prefix = path.Length == 0 ? "" : path + ".";
                if (segment == "*")
                {
                    switch (node)
                    {
                        case JsonObject o:
                            next.AddRange(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (prefix + p.Key, p.Value)));
                            break;
                        case JsonArray a:
                            next.AddRange(a.Select((v, i) => (prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), v)));
                            break;
                        default:
                            throw Missing(documentName, path, segment, node);
                    }

                    continue;
                }

                if (node is JsonObject obj && obj.TryGetPropertyValue(segment, out var child))
                {
                    next.Add((prefix + segment, child));
                }
                else if (node is null && path.Length > 0)
                {
                    // Under a value that is null (a slice's test where none was run): the value sought is absent,
                    // which fails a criterion and deselects a collection element; it is not a missing path.
                    next.Add((prefix + segment, null));
                }
                else if (node is JsonArray arr && int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < arr.Count)
                {
                    next.Add((prefix + segment, arr[index]));
                }
                else
                {
                    throw Missing(documentName, path, segment, node);
                }
            }

            current = next;
        }

        return current;
    }

    private InputException Missing(string documentName, string path, string segment, JsonNode? node)
    {
        var at = path.Length == 0 ? "the top level" : $"'{path}'";
        var has = node switch
        {
            JsonObject o when o.Count > 0 => $" (it has: {string.Join(", ", o.Select(p => p.Key).Order(StringComparer.Ordinal).Take(20))})",
            JsonObject => " (it is empty)",
            JsonArray a => $" (it is a list of {a.Count})",
            null => " (it is null)",
            _ => $" (it is the value {node.ToJsonString()})",
        };
        var what = segment == "*" ? "nothing to match '*' against" : $"no '{segment}'";
        return new InputException($"path '{Text}' does not exist in {documentName}: {at} has {what}{has}", File, Line, Key);
    }
}
