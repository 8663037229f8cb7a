using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ValidationLab.Store;

/// <summary>
/// The text of a spool file (<see cref="ResponseSpool"/>): JSON lines, each ended by '\n'. The first line names the
/// store the answers are for (<c>{"validationlab_spool":1,"store":"...","created_utc":"...","pid":N}</c>); every other
/// line is one answer exactly as the store would have written it: <c>{"response":[16 columns],"link":[5 columns]}</c>
/// in <see cref="CacheRows.ResponseColumns"/> and <see cref="CacheRows.LinkColumns"/> order (the log-likelihoods blob as
/// base64). The rows carry everything a put writes: key, identity, request hash, kind, the answer, its time, and the
/// run's link with suite, item and request ids. A line without its '\n' or that does not parse is a write cut short
/// by a crash: a reader skips it.
/// </summary>
internal static class SpoolFormat
{
    public const int Version = 1;

    /// <summary>Column types of a response row: s string, b blob, d double, i int (any may be null).</summary>
    private const string ResponseTypes = "ssssssssbddiisss";

    private const string LinkTypes = "sssss";

    public static byte[] Header(string store) => Line(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("validationlab_spool", Version);
        w.WriteString("store", store);
        w.WriteString("created_utc", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        w.WriteNumber("pid", Environment.ProcessId);
        w.WriteEndObject();
    });

    /// <summary>The store a header line names, or null when the line is not a spool header of this version.</summary>
    public static string? ReadHeader(ReadOnlySpan<byte> line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("validationlab_spool", out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt32() == Version
                && root.TryGetProperty("store", out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Appends one entry line ('\n' included) to <paramref name="buffer"/>.</summary>
    public static void WriteEntry(CacheWrite write, ArrayBufferWriter<byte> buffer)
    {
        using var w = new Utf8JsonWriter(buffer);
        WriteEntry(write, w, buffer);
    }

    /// <summary>Appends one entry line with <paramref name="w"/>, a writer on <paramref name="buffer"/> (reused by the hot path).</summary>
    public static void WriteEntry(CacheWrite write, Utf8JsonWriter w, ArrayBufferWriter<byte> buffer)
    {
        {
            w.WriteStartObject();
            if (write.Response is { } response)
            {
                w.WritePropertyName("response");
                WriteRow(w, response);
            }

            if (write.Link is { } link)
            {
                w.WritePropertyName("link");
                WriteRow(w, link);
            }

            w.WriteEndObject();
            w.Flush();
        }

        buffer.Write("\n"u8);
    }

    public static byte[] Entry(CacheWrite write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        WriteEntry(write, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The entry a line (without its '\n') holds, or null when it does not parse as one.</summary>
    public static CacheWrite? ReadEntry(ReadOnlySpan<byte> line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var response = root.TryGetProperty("response", out var r) ? ReadRow(r, ResponseTypes) : null;
            var link = root.TryGetProperty("link", out var l) ? ReadRow(l, LinkTypes) : null;
            if ((response is null && link is null) || (r.ValueKind != JsonValueKind.Undefined && response is null) || (l.ValueKind != JsonValueKind.Undefined && link is null))
            {
                return null;
            }

            // A row's key columns are never null: the cache key (response) and run, suite, item, request, key (link).
            if ((response is not null && response[0] is not string) || (link is not null && link.Any(v => v is not string)))
            {
                return null;
            }

            return new CacheWrite(response, link);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static void WriteRow(Utf8JsonWriter w, object?[] row)
    {
        w.WriteStartArray();
        foreach (var value in row)
        {
            switch (value)
            {
                case null:
                    w.WriteNullValue();
                    break;
                case string s:
                    w.WriteStringValue(s);
                    break;
                case byte[] b:
                    w.WriteBase64StringValue(b);
                    break;
                case double d when double.IsFinite(d):
                    w.WriteNumberValue(d);
                    break;
                case double d:
                    // JSON has no NaN or infinity: kept as text.
                    w.WriteStringValue(d.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case int i:
                    w.WriteNumberValue(i);
                    break;
                case long l:
                    w.WriteNumberValue(l);
                    break;
                default:
                    throw new InvalidOperationException($"cannot spool a {value.GetType().Name}");
            }
        }

        w.WriteEndArray();
    }

    private static object?[]? ReadRow(JsonElement array, string types)
    {
        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() != types.Length)
        {
            return null;
        }

        var row = new object?[types.Length];
        var i = 0;
        foreach (var e in array.EnumerateArray())
        {
            row[i] = e.ValueKind == JsonValueKind.Null ? null : types[i] switch
            {
                's' => e.GetString(),
                'b' => e.GetBytesFromBase64(),
                'd' => e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetDouble(),
                _ => e.GetInt32(),
            };
            i++;
        }

        return row;
    }

    private static byte[] Line(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Splits a file's bytes into lines; the last element is the unterminated tail (empty when the file ends with '\n').</summary>
    public static List<ReadOnlyMemory<byte>> Lines(ReadOnlyMemory<byte> text, out ReadOnlyMemory<byte> tail)
    {
        var lines = new List<ReadOnlyMemory<byte>>();
        var rest = text;
        int nl;
        while ((nl = rest.Span.IndexOf((byte)'\n')) >= 0)
        {
            lines.Add(rest[..nl]);
            rest = rest[(nl + 1)..];
        }

        tail = rest;
        return lines;
    }

    public static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
