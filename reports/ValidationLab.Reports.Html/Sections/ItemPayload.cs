using System.Buffers;
using System.IO.Compression;
using System.Text;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// The items' full text in the page: chunks of <see cref="ChunkSize"/> items, each the UTF-8 of a JSON array of item
/// arrays, deflated (raw) and base64-encoded, one chunk per line of a <c>&lt;script type="application/octet-stream"&gt;</c>
/// block. Why: at 50,000 items the text is tens of megabytes, and Chromium's time to open the page follows the bytes it
/// must read; compressed it reads about a third of them, and the page inflates (DecompressionStream) only the chunks
/// a page of the item browser shows. The first chunk sits in the item browser, before the page's script, so the
/// first page is drawn while the rest (a block after the script, read at DOMContentLoaded) is still arriving. Base64 has no character that could end the script element or form markup.
/// Chunks are independent, so they are compressed in parallel and the output stays a pure function of the run
/// (zlib's output is deterministic for a given level and library build).
/// </summary>
internal static class ItemPayload
{
    /// <summary>Items per chunk: big enough for deflate's 32 KB window to find the repeats, small enough to inflate per page.</summary>
    public const int ChunkSize = 200;

    /// <summary>
    /// zlib level 1 (of 9, zlib-ng's quick strategy): the only level that kept rendering within 2× of serialising the
    /// items on the shared machine; level 2 made the file a quarter smaller but rendering 1.8–4.1× (docs/benchmarks.md,
    /// report-quick). The first page does not wait for the bytes, only the whole-file load does.
    /// </summary>
    private const int Level = 1;

    /// <summary>Chunks compressed at once (then written out): enough to keep every core busy; the output does not depend on it.</summary>
    internal static int BatchChunks => 2 * Math.Max(1, Environment.ProcessorCount);

    /// <summary>How many chunks travel before the page's script (enough for the first page); the rest follow it.</summary>
    public const int FirstChunks = 1;

    /// <summary>
    /// Chunks [<paramref name="from"/>, <paramref name="to"/>) (clipped to the items there are), one per line. The items
    /// are read in order, a few chunks at a time (compressed in parallel), and <paramref name="flush"/> is called after
    /// each batch: the items and the page are never held whole (a streamed run reads its items back from disk).
    /// </summary>
    public static void Write(StringBuilder page, ReportModel model, int from, int to, CancellationToken cancellationToken, Action? flush = null)
    {
        int total = model.Suites.Sum(s => s.Items.Count);
        IReadOnlySet<string>? flipped = model.Evidence.Comparison?.FlippedItems;
        to = Math.Min(to, (total + ChunkSize - 1) / ChunkSize);
        if (from >= to)
        {
            return;
        }

        int batch = BatchChunks;
        using IEnumerator<(int Suite, ItemResult Item)> items = All(model).Skip(from * ChunkSize).GetEnumerator();
        var buffered = new List<(int Suite, ItemResult Item)>(batch * ChunkSize);
        for (int first = from; first < to; first += batch)
        {
            int count = Math.Min(batch, to - first);
            buffered.Clear();
            while (buffered.Count < count * ChunkSize && items.MoveNext())
            {
                buffered.Add(items.Current);
            }

            var encoded = new string[count];
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, c =>
            {
                var json = new StringBuilder(ChunkSize * 1024);
                json.Append('[');
                for (int i = c * ChunkSize; i < Math.Min(buffered.Count, (c + 1) * ChunkSize); i++)
                {
                    if (i > c * ChunkSize)
                    {
                        json.Append(',');
                    }

                    (int suite, ItemResult item) = buffered[i];
                    ItemsBlock.WriteItem(json, suite, item, flipped is null ? null : flipped.Contains(model.Suites[suite].Name + "/" + item.ItemId));
                }

                json.Append(']');
                encoded[c] = Compress(json);
            });

            for (int c = 0; c < encoded.Length; c++)
            {
                page.Append(first == from && c == 0 ? "" : "\n").Append(encoded[c]);
            }

            flush?.Invoke();
        }

        buffered.Clear();
    }

    /// <summary>Every item with its suite's index, in the browser's order (suites in report order, items in run order).</summary>
    private static IEnumerable<(int Suite, ItemResult Item)> All(ReportModel model)
    {
        for (int s = 0; s < model.Suites.Count; s++)
        {
            foreach (ItemResult item in model.Suites[s].Items)
            {
                yield return (s, item);
            }
        }
    }

    /// <summary>The inverse, for tests: the item arrays' JSON text of every chunk.</summary>
    internal static IEnumerable<string> Decode(string block)
    {
        foreach (string line in block.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var deflate = new DeflateStream(new MemoryStream(Convert.FromBase64String(line)), CompressionMode.Decompress);
            using var reader = new StreamReader(deflate, Encoding.UTF8);
            yield return reader.ReadToEnd();
        }
    }

    private static string Compress(StringBuilder json)
    {
        byte[] utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            // An encoder, not Encoding.GetBytes per piece: a surrogate pair may straddle two of the builder's pieces.
            Encoder encoder = Encoding.UTF8.GetEncoder();
            int length = 0;
            foreach (ReadOnlyMemory<char> chunk in json.GetChunks())
            {
                length += encoder.GetBytes(chunk.Span, utf8.AsSpan(length), flush: false);
            }

            length += encoder.GetBytes([], utf8.AsSpan(length), flush: true);

            using var output = new MemoryStream(length / 2 + 64);
            using (var deflate = new DeflateStream(output, new ZLibCompressionOptions { CompressionLevel = Level }, leaveOpen: true))
            {
                deflate.Write(utf8, 0, length);
            }

            return Convert.ToBase64String(output.GetBuffer(), 0, (int)output.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }
}
