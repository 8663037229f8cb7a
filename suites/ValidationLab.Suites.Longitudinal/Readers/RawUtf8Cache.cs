using System.Runtime.InteropServices;
using System.Text.Json;

namespace ValidationLab.Suites.Longitudinal.Readers;

/// <summary>
/// Remembers what a JSON value maps to, keyed by the value's raw UTF-8 text: an hourly vital-sign panel repeats the
/// same eight codeable concepts, units and encounter reference millions of times, and a byte comparison replaces
/// reading each of them into strings and hashing those. The mapping must be a function of the raw text alone; equal
/// values written differently (escapes, spacing) are just two entries. Bounded: past <see cref="Capacity"/> entries
/// values are mapped without being remembered.
/// </summary>
internal sealed class RawUtf8Cache<T>
{
    public const int Capacity = 100_000;

    private readonly Dictionary<byte[], T> _entries = new(RawComparer.Instance);

    /// <summary>The value for <paramref name="element"/>'s raw text; <paramref name="map"/> (given <paramref name="state"/>, so it need not capture) on a miss.</summary>
    public T GetOrAdd<TState>(JsonElement element, TState state, Func<JsonElement, TState, T> map)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        var lookup = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(raw, out var value))
        {
            return value;
        }

        value = map(element, state);
        if (_entries.Count < Capacity)
        {
            _entries[raw.ToArray()] = value;
        }

        return value;
    }

    private sealed class RawComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly RawComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
