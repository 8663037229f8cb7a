namespace ValidationLab.Statistics;

/// <summary>
/// LSD radix sort of doubles mapped to order-preserving unsigned keys (8 passes of 8 bits, trivial passes
/// skipped). O(n), used where large score vectors are sorted once. −0.0 is mapped to +0.0 so that keys are
/// equal exactly when the doubles compare equal (NaN is rejected before this point).
/// </summary>
internal static class RadixSort
{
    public static ulong Key(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value == 0.0 ? 0.0 : value);
        return bits < 0 ? ~(ulong)bits : (ulong)bits ^ 0x8000_0000_0000_0000UL;
    }

    /// <summary>Sorts <paramref name="keys"/> ascending; returns the array holding the result (keys or scratch).</summary>
    public static ulong[] Sort(ulong[] keys)
    {
        int n = keys.Length;
        int[] counts = new int[8 * 256];
        foreach (ulong k in keys)
        {
            for (int d = 0; d < 8; d++)
            {
                counts[(d * 256) + (int)((k >> (8 * d)) & 0xFF)]++;
            }
        }

        ulong[] source = keys;
        ulong[] target = new ulong[n];
        for (int d = 0; d < 8; d++)
        {
            Span<int> c = counts.AsSpan(d * 256, 256);
            if (n == 0 || c[(int)((source[0] >> (8 * d)) & 0xFF)] == n)
            {
                continue; // every key has the same digit: pass is a no-op
            }

            int total = 0;
            for (int b = 0; b < 256; b++)
            {
                int t = c[b];
                c[b] = total;
                total += t;
            }

            int shift = 8 * d;
            for (int i = 0; i < n; i++)
            {
                ulong k = source[i];
                target[c[(int)((k >> shift) & 0xFF)]++] = k;
            }

            (source, target) = (target, source);
        }

        return source;
    }
}
