using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store.Tests.CacheKeyIdentity;

/// <summary>
/// The oracle: a verbatim copy of the reflection-based canonical JSON (RequestHasher) and cache key (CacheKeys) as
/// they were before the hand-written writer (main at 2561e0f). Every key in every user's store was made by this code,
/// so the production code must reproduce it byte for byte. Never "fix" this copy.
/// </summary>
internal static class LegacyCacheKeys
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    public static string CanonicalJson(ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var content = request with { Suite = "", ItemId = "", RequestId = "" };
        return JsonSerializer.Serialize(content, Canonical);
    }

    public static string Hash(ModelRequest request) => Sha256Hex(CanonicalJson(request));

    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static (string CacheKey, string RequestHash) Compute(RunnerIdentity identity, ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        var canonical = CanonicalJson(request);
        var prefix = KeyPrefix(identity);
        var length = prefix.Length + Encoding.UTF8.GetMaxByteCount(canonical.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            prefix.CopyTo(buffer, 0);
            var written = prefix.Length + Encoding.UTF8.GetBytes(canonical, buffer.AsSpan(prefix.Length));
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, written), hash);
            var key = Convert.ToHexStringLower(hash);
            SHA256.HashData(buffer.AsSpan(prefix.Length, written - prefix.Length), hash);
            return (key, Convert.ToHexStringLower(hash));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [ThreadStatic]
    private static (RunnerIdentity Identity, byte[] Prefix)? _lastPrefix;

    private static byte[] KeyPrefix(RunnerIdentity identity)
    {
        if (_lastPrefix is { } last && ReferenceEquals(last.Identity, identity))
        {
            return last.Prefix;
        }

        var prefix = Encoding.UTF8.GetBytes(string.Join('\0', "validationlab-cache/1", identity.Runner, identity.Model, identity.Source ?? "", identity.Fingerprint) + "\0");
        _lastPrefix = (identity, prefix);
        return prefix;
    }
}
