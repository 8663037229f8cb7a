using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store;

/// <summary>
/// The response cache's content-addressed key (and the request hash stored beside it), computed without touching a
/// store so callers can key a request before they look it up. The same for every backend.
/// </summary>
public static class CacheKeys
{
    /// <summary>
    /// The cache key: SHA-256 over the runner identity (runner, model, source, fingerprint) and the canonical JSON of
    /// the request content (prompt and decoding parameters; ids excluded).
    /// </summary>
    public static string CacheKey(RunnerIdentity identity, ModelRequest request) => Compute(identity, request, withRequestHash: false).CacheKey;

    /// <summary>
    /// <see cref="CacheKey"/> and <see cref="RequestHasher.Hash"/> of the request (stored with the answer), from one
    /// canonical serialization of the request.
    /// </summary>
    public static (string CacheKey, string RequestHash) Compute(RunnerIdentity identity, ModelRequest request)
    {
        var (key, requestHash) = Compute(identity, request, withRequestHash: true);
        return (key, requestHash!);
    }

    /// <summary>The key, and the request hash only when asked for: a lookup by key alone saves the second SHA-256.</summary>
    private static (string CacheKey, string? RequestHash) Compute(RunnerIdentity identity, ModelRequest request, bool withRequestHash)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);

        // The key is SHA-256 over the UTF-8 of "validationlab-cache/1\0runner\0model\0source\0fingerprint\0" + canonical;
        // the request hash is SHA-256 over the UTF-8 of canonical alone: one buffer holds both, the canonical JSON
        // written straight after the prefix (no string), the request hash taken over its tail.
        var prefix = KeyPrefix(identity);
        var buffer = _idle ?? new ArrayBufferWriter<byte>(4096);
        _idle = null;
        try
        {
            buffer.ResetWrittenCount();
            buffer.Write(prefix);
            RequestHasher.WriteCanonicalJson(request, buffer);
            var written = buffer.WrittenSpan;
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(written, hash);
            var key = Convert.ToHexStringLower(hash);
            if (!withRequestHash)
            {
                return (key, null);
            }

            SHA256.HashData(written[prefix.Length..], hash);
            return (key, Convert.ToHexStringLower(hash));
        }
        finally
        {
            // One buffer per thread, reused; one grown past 1 MB by a huge request is let go.
            if (buffer.Capacity <= 1 << 20)
            {
                _idle = buffer;
            }
        }
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _idle;

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
