using System.Numerics;

namespace ValidationLab.Statistics;

/// <summary>
/// xoshiro256** generator seeded through SplitMix64. Deterministic across platforms and .NET versions
/// (unlike <see cref="Random"/>), cheap to create, and streams for chunk k are derived from (seed, k) so
/// bootstrap results do not depend on thread count or scheduling.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SeededRandom(ulong seed, ulong stream = 0)
    {
        ulong x = seed ^ (0x9E3779B97F4A7C15UL * (stream + 1));
        x = SplitMix(ref x) ^ stream;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform integer in [0, bound) by Lemire's multiply-shift with rejection (unbiased).</summary>
    public int NextInt(int bound)
    {
        ulong range = (ulong)bound;
        ulong m = (NextUInt64() >> 32) * range;
        ulong low = m & 0xFFFFFFFFUL;
        if (low < range)
        {
            ulong threshold = (0x1_0000_0000UL - range) % range;
            while (low < threshold)
            {
                m = (NextUInt64() >> 32) * range;
                low = m & 0xFFFFFFFFUL;
            }
        }

        return (int)(m >> 32);
    }

    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
