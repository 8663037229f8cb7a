using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ValidationLab.Requests;

/// <summary>
/// The SHA-256 of a request's content: what the model is shown and how it decodes, without the suite, item and
/// request ids. Two items with the same prompt share a hash; the response cache adds the runner identity on top.
/// </summary>
public static class RequestHasher
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    /// <summary>The canonical JSON of the request content (ids blanked), stable across runs and machines.</summary>
    public static string CanonicalJson(ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var content = request with { Suite = "", ItemId = "", RequestId = "" };
        return JsonSerializer.Serialize(content, Canonical);
    }

    /// <summary>Lower-case hex SHA-256 of <see cref="CanonicalJson"/>.</summary>
    public static string Hash(ModelRequest request) => Sha256Hex(CanonicalJson(request));

    /// <summary>Lower-case hex SHA-256 of UTF-8 text.</summary>
    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
