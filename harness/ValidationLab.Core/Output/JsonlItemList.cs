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
internal sealed class JsonlItemList(string path, long start, int count) : IReadOnlyList<ItemResult>
{
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
