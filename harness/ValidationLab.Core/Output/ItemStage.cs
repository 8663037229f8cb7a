using System.Text.Json;
using ValidationLab.Results;

namespace ValidationLab.Output;

/// <summary>
/// Where a streamed suite's item results go as they are scored: one items.jsonl line each (the same dialect, so
/// reading a line back gives the result that was written), in a hidden file beside the results folder, deleted when
/// the run ends. The heavy text of a result (rendered input, model output, explanation) then stays on disk until the
/// exporters read it back, instead of in memory for the whole run.
/// </summary>
internal sealed class ItemStage : IDisposable
{
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;

    public ItemStage(string path)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose);
        _writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = ResultsJson.Compact.Encoder, SkipValidation = true });
    }

    public string Path { get; }

    /// <summary>Bytes written so far: where the next line starts.</summary>
    public long Position
    {
        get
        {
            _writer.Flush();
            return _stream.Position;
        }
    }

    public void Add(ItemResult item)
    {
        JsonSerializer.Serialize(_writer, item, ResultsJson.Compact);
        _writer.Flush();
        _writer.Reset();
        _stream.WriteByte((byte)'\n');
    }

    /// <summary>The <paramref name="count"/> lines from byte <paramref name="start"/>, read back on demand.</summary>
    public IReadOnlyList<ItemResult> Read(long start, int count)
    {
        _writer.Flush();
        _stream.Flush();
        return new JsonlItemList(Path, start, count, _stream.Position);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
