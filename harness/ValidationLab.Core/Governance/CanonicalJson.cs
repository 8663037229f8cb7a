using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValidationLab.Governance;

/// <summary>
/// The one byte form that evidence hashes are taken over: object keys sorted by UTF-16 code unit, no whitespace,
/// strings with only the escapes JSON requires (RFC 8785 style), numbers as their JSON text. Any reader can
/// recompute a hash from the file it reads, whatever indentation or key order the file was written with.
/// </summary>
public static class CanonicalJson
{
    public static string Serialize(JsonNode? node)
    {
        // Round-trip through text so that every number is its JSON text (a double written once, shortest form).
        using var doc = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        var sb = new StringBuilder();
        Write(sb, doc.RootElement);
        return sb.ToString();
    }

    public static string Sha256(JsonNode? node) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Serialize(node))));

    private static void Write(StringBuilder sb, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, p.Name);
                    sb.Append(':');
                    Write(sb, p.Value);
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    if (i++ > 0)
                    {
                        sb.Append(',');
                    }

                    Write(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(sb, e.GetString()!);
                break;
            default:
                sb.Append(e.GetRawText());
                break;
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
