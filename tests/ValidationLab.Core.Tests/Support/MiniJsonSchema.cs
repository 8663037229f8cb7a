using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ValidationLab.Core.Tests.Support;

/// <summary>
/// A validator for the subset of JSON Schema 2020-12 that docs/results.schema.json uses: type (one or a list),
/// const, required, properties, additionalProperties (false or a schema), items, $ref to #/$defs, pattern, minimum,
/// minLength. No JSON Schema package is available here; this is small enough to read in one go.
/// </summary>
public sealed class MiniJsonSchema(JsonElement root)
{
    public static MiniJsonSchema Load(string path) => new(JsonDocument.Parse(File.ReadAllText(path)).RootElement);

    /// <summary>Every violation as "path: problem"; empty when the document conforms.</summary>
    public List<string> Validate(JsonElement document)
    {
        var errors = new List<string>();
        Check(root, document, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!["#/$defs/".Length..];
            Check(root.GetProperty("$defs").GetProperty(name), value, path, errors);
            return;
        }

        if (schema.TryGetProperty("const", out var constant) && constant.GetRawText() != value.GetRawText())
        {
            errors.Add($"{path}: expected {constant.GetRawText()}, found {value.GetRawText()}");
        }

        if (schema.TryGetProperty("type", out var type) && !TypeMatches(type, value))
        {
            errors.Add($"{path}: expected type {type.GetRawText()}, found {value.ValueKind}");
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(schema, value, path, errors);
                break;
            case JsonValueKind.Array when schema.TryGetProperty("items", out var items):
                var i = 0;
                foreach (var element in value.EnumerateArray())
                {
                    Check(items, element, $"{path}[{i++}]", errors);
                }

                break;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!))
                {
                    errors.Add($"{path}: '{text}' does not match {pattern.GetString()}");
                }

                if (schema.TryGetProperty("minLength", out var minLength) && text.Length < minLength.GetInt32())
                {
                    errors.Add($"{path}: shorter than {minLength.GetInt32()}");
                }

                break;
            case JsonValueKind.Number when schema.TryGetProperty("minimum", out var minimum) && value.GetDouble() < minimum.GetDouble():
                errors.Add($"{path}: {value.GetDouble().ToString(CultureInfo.InvariantCulture)} is below {minimum.GetRawText()}");
                break;
        }
    }

    private void CheckObject(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{path}: missing required '{name}'");
                }
            }
        }

        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        foreach (var property in value.EnumerateObject())
        {
            var childPath = $"{path}.{property.Name}";
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var childSchema))
            {
                Check(childSchema, property.Value, childPath, errors);
            }
            else if (schema.TryGetProperty("additionalProperties", out var additional))
            {
                if (additional.ValueKind == JsonValueKind.False)
                {
                    errors.Add($"{childPath}: not allowed by the schema");
                }
                else if (additional.ValueKind == JsonValueKind.Object)
                {
                    Check(additional, property.Value, childPath, errors);
                }
            }
        }
    }

    private static bool TypeMatches(JsonElement type, JsonElement value) =>
        type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Any(t => Is(t.GetString()!, value))
            : Is(type.GetString()!, value);

    private static bool Is(string type, JsonElement value) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => false,
    };
}
