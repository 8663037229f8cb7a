using System.Collections;
using System.Text;
using System.Text.Json;
using ValidationLab.Results;

namespace ValidationLab.Output;

/// <summary>
/// Item results read from items.jsonl lines (a staged file, or a run's own items.jsonl) each time they are
/// enumerated, never held: memory holds one line. Read forward; the indexer keeps its place, so reading in order is
/// one pass (going back reopens the file).
/// </summary>
internal sealed class JsonlItemList(string path, long start, int count, long end = -1) : IReadOnlyList<ItemResult>
{
    /// <summary>
    /// Copy the lines as they are, when their end is known (a stage): items.jsonl of a streamed suite is then the
    /// staged bytes, written by the same serializer with the same options, not a second serialization of each result.
    /// </summary>
    public async Task<bool> TryCopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        if (end < 0)
        {
            return false;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        stream.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        for (var left = end - start; left > 0;)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidDataException($"{path} ends {left} byte(s) before the staged item results do");
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            left -= read;
        }

        return true;
    }

    private readonly Lock _gate = new();
    private IEnumerator<ItemResult>? _cursor;
    private int _next;

    public int Count => count;

    public ItemResult this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
            lock (_gate)
            {
                if (_cursor is null || index < _next - 1)
                {
                    _cursor?.Dispose();
                    _cursor = GetEnumerator();
                    _next = 0;
                }

                if (index == _next - 1)
                {
                    return _cursor.Current;
                }

                while (_next <= index)
                {
                    _cursor.MoveNext();
                    _next++;
                }

                return _cursor.Current;
            }
        }
    }

    public IEnumerator<ItemResult> GetEnumerator()
    {
        if (count == 0)
        {
            yield break;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        stream.Seek(start, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, new UTF8Encoding(false), false, 1 << 16);
        for (var i = 0; i < count; i++)
        {
            var line = reader.ReadLine() ?? throw new InvalidDataException($"{path} ends after {i} of {count} item results");
            yield return JsonSerializer.Deserialize<ItemResult>(line, ResultsJson.Compact)
                ?? throw new InvalidDataException($"{path}: item result {i + 1} is null");
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
