using System.Buffers;
using System.Text;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store.Tests.CacheKeyIdentity;

/// <summary>
/// The hand-written canonical request writer against the reflection serializer it replaced (<see cref="LegacyCacheKeys"/>):
/// one changed byte would silently turn every user's stored answers into misses, so the canonical JSON, the request
/// hash and the cache key must be identical for every request — and must throw the same exception where the old code
/// threw.
/// </summary>
public sealed class CacheKeyIdentityTests
{
    /// <summary>What a call produced: its value, or the exception's type and message.</summary>
    private static string Outcome(Func<string> call)
    {
        try
        {
            return "ok " + call();
        }
        catch (Exception e)
        {
            return $"throws {e.GetType().FullName}: {e.Message}";
        }
    }

    private static string Outcome(Func<(string, string)> call) => Outcome(() => call().ToString());

    /// <summary>Canonical JSON, request hash and cache key of one request, new against old.</summary>
    private static void AssertSame(RunnerIdentity identity, ModelRequest request, string where)
    {
        var oldJson = Outcome(() => LegacyCacheKeys.CanonicalJson(request));
        var newJson = Outcome(() => RequestHasher.CanonicalJson(request));
        if (oldJson != newJson)
        {
            Assert.Fail($"{where}: canonical JSON differs\n old: {Clip(oldJson)}\n new: {Clip(newJson)}");
        }

        Assert.True(Outcome(() => LegacyCacheKeys.Hash(request)) == Outcome(() => RequestHasher.Hash(request)), $"{where}: request hash differs");
        Assert.True(Outcome(() => LegacyCacheKeys.Compute(identity, request)) == Outcome(() => CacheKeys.Compute(identity, request)), $"{where}: cache key differs");
        Assert.True(Outcome(() => LegacyCacheKeys.Compute(identity, request).CacheKey) == Outcome(() => CacheKeys.CacheKey(identity, request)), $"{where}: CacheKey differs");
    }

    private static string Clip(string s) => s.Length <= 2000 ? s : s[..2000] + "…";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_generated_corpus_of_every_request_kind_keys_exactly_as_before(int seed)
    {
        var corpus = new RequestCorpus(seed);
        var shared = corpus.Identity();
        var throwing = 0;
        for (var i = 0; i < 1500; i++)
        {
            var request = corpus.Next();
            // Mostly one identity (the per-thread prefix cache is hit), sometimes a fresh one.
            var identity = i % 7 == 0 ? corpus.Identity() : shared;
            AssertSame(identity, request, $"seed {seed}, request {i}");
            throwing += Outcome(() => LegacyCacheKeys.CanonicalJson(request)).StartsWith("throws", StringComparison.Ordinal) ? 1 : 0;
        }

        // The corpus reached every case it is there for (so this test cannot pass on a degenerate corpus).
        foreach (var what in new[]
        {
            "generate", "loglikelihood", "risk", "decoding", "features:Dictionary", "features:SortedDictionary", "features:SortedDictionary(culture)",
            "features:ReadOnlyDictionary", "features:Immutable/Frozen", "list:array", "list:List", "list:collection-expression",
            "list:ReadOnlyCollection", "list:ImmutableArray", "list:empty", "double:non-finite", "text:control", "text:bmp",
            "text:surrogate-pair", "text:lone-surrogate",
        })
        {
            Assert.True(corpus.Coverage.GetValueOrDefault(what) > 0, $"the corpus never produced {what}");
        }

        Assert.InRange(throwing, 1, 1500 / 3); // some NaN/∞ refusals compared, most requests serialized
    }

    [Fact]
    public void Every_utf16_code_unit_is_escaped_as_before_wherever_it_stands()
    {
        // Alone, after a non-ASCII character (where the serializer's writer hands over to its encoder) and between
        // plain ASCII; 1,024 code units a request, as continuations.
        foreach (var (before, after) in new[] { ("", ""), ("é", ""), ("ab", "cd"), ("'", "\n") })
        {
            for (var start = 0; start < 0x10000; start += 1024)
            {
                var continuations = Enumerable.Range(start, 1024).Select(c => before + (char)c + after).ToArray();
                AssertSame(Identity, new LogLikelihoodRequest { Suite = "s", ItemId = "1", Context = "c", Continuations = continuations }, $"code units {start:X4}+ in '{before}_{after}'");
            }
        }

        // Surrogates in every arrangement: each high one before a low one, a high one, an end, ASCII; each low one alone.
        var pairs = new List<string>();
        for (var high = 0xD800; high <= 0xDBFF; high++)
        {
            pairs.Add($"{(char)high}{(char)(0xDC00 + (high % 0x400))}");
            pairs.Add($"{(char)high}{(char)0xDFFF}x");
            pairs.Add($"x{(char)high}{(char)high}");
            pairs.Add($"{(char)high}");
            pairs.Add($"{(char)(0xDC00 + (high % 0x400))}{(char)high}é");
        }

        foreach (var chunk in pairs.Chunk(512))
        {
            AssertSame(Identity, new LogLikelihoodRequest { Suite = "s", ItemId = "1", Context = string.Concat(chunk), Continuations = chunk }, "surrogates");
        }
    }

    [Fact]
    public void Keys_computed_on_many_threads_at_once_match_the_old_ones()
    {
        // The writer, its buffer and the key prefix are cached per thread: concurrent callers must not share them.
        var corpus = new RequestCorpus(99);
        var identities = Enumerable.Range(0, 3).Select(_ => corpus.Identity()).ToArray();
        var requests = Enumerable.Range(0, 2000).Select(_ => corpus.Next()).ToArray();
        var expected = requests.Select((r, i) => Outcome(() => LegacyCacheKeys.Compute(identities[i % 3], r))).ToArray();
        var actual = new string[requests.Length];
        Parallel.For(0, requests.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = Outcome(() => CacheKeys.Compute(identities[i % 3], requests[i])));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_request_type_the_contract_does_not_register_fails_as_before()
    {
        var request = new UnregisteredRequest { Suite = "s", ItemId = "1", Prompt = "p" };
        var old = Outcome(() => LegacyCacheKeys.CanonicalJson(request));
        Assert.StartsWith("throws System.NotSupportedException", old, StringComparison.Ordinal);
        Assert.Equal(old, Outcome(() => RequestHasher.CanonicalJson(request)));
        Assert.Equal(old, Outcome(() => RequestHasher.Hash(request)));
        Assert.Equal(Outcome(() => LegacyCacheKeys.Compute(Identity, request)), Outcome(() => CacheKeys.Compute(Identity, request)));
    }

    [Fact]
    public void Writing_into_a_buffer_appends_the_canonical_bytes_after_what_it_holds()
    {
        var corpus = new RequestCorpus(5);
        for (var i = 0; i < 300; i++)
        {
            var request = corpus.Next();
            var old = Outcome(() => LegacyCacheKeys.CanonicalJson(request));
            if (old.StartsWith("throws", StringComparison.Ordinal))
            {
                continue;
            }

            // A buffer that hands out tiny segments makes the writer flush and ask again many times.
            var buffer = new TinySegments();
            buffer.Write("head:"u8);
            RequestHasher.WriteCanonicalJson(request, buffer);
            Assert.Equal("ok head:" + old[3..], "ok " + Encoding.UTF8.GetString(buffer.Written));
        }
    }

    [Fact]
    public void A_very_large_request_and_the_next_small_one_key_as_before()
    {
        // 3 MB of context outgrows the per-thread buffer (which is then not kept); the next request must not see it.
        var huge = new LogLikelihoodRequest { Suite = "s", ItemId = "1", Context = string.Concat(Enumerable.Repeat("Patient é \"x\" <b>\n😀", 150_000)), Continuations = [" A"] };
        var small = new LogLikelihoodRequest { Suite = "s", ItemId = "2", Context = "c", Continuations = [" A", " B"] };
        AssertSame(Identity, huge, "huge");
        AssertSame(Identity, small, "small after huge");
        AssertSame(Identity, huge, "huge again");
    }

    private static readonly RunnerIdentity Identity = new() { Runner = "openai", Model = "m", Source = "http://x/v1", Fingerprint = "f" };

    private sealed record UnregisteredRequest : ModelRequest
    {
        public override RequestKind Kind => RequestKind.Generate;

        public required string Prompt { get; init; }
    }

    /// <summary>An IBufferWriter that never offers more than the size asked for (at least 1 byte).</summary>
    private sealed class TinySegments : IBufferWriter<byte>
    {
        private byte[] _data = new byte[16];
        private int _count;
        private int _offered;

        public ReadOnlySpan<byte> Written => _data.AsSpan(0, _count);

        public void Advance(int count)
        {
            Assert.InRange(count, 0, _offered);
            _count += count;
            _offered = 0;
        }

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            _offered = Math.Max(sizeHint, 1);
            if (_data.Length < _count + _offered)
            {
                Array.Resize(ref _data, Math.Max(_data.Length * 2, _count + _offered));
            }

            return _data.AsMemory(_count, _offered);
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
