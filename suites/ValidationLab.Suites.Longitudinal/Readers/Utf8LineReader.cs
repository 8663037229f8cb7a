namespace ValidationLab.Suites.Longitudinal.Readers;

/// <summary>
/// Reads NDJSON as UTF-8 lines without decoding them to strings (System.Text.Json parses UTF-8 directly, so a
/// decode to UTF-16 and back would be wasted work on every one of millions of lines). Knows each line's number and
/// byte offset, so an index can come back to it: <see cref="Seek"/> on a plain file, a forward skip (or a reopen)
/// on a gzipped one. A leading UTF-8 byte order mark and a trailing '\r' are dropped.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private readonly string _file;
    private Stream _stream;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private long _bufferOffset; // file offset of _buffer[0]
    private bool _eof;

    public Utf8LineReader(string file)
    {
        _file = file;
        _stream = Open(file);
        SkipBom();
    }

    /// <summary>True when the file is gzipped: offsets are then positions in the decompressed text.</summary>
    public bool Compressed => _file.EndsWith(".gz", StringComparison.Ordinal);

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Offset of the start of the line last returned.</summary>
    public long LineOffset { get; private set; }

    /// <summary>Offset of the next line to be returned.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>The next line (without its end of line), or false at the end of the file.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Take(newline, newline + 1);
                return true;
            }

            if (_eof)
            {
                if (_start < _end)
                {
                    line = Take(_end - _start, _end - _start);
                    return true;
                }

                line = default;
                return false;
            }

            Fill();
        }
    }

    /// <summary>Come back to a line found earlier: <paramref name="offset"/> is its <see cref="LineOffset"/>.</summary>
    public void Seek(long offset, long lineNumber)
    {
        if (offset >= _bufferOffset && offset <= _bufferOffset + _end)
        {
            _start = (int)(offset - _bufferOffset); // still in the buffer (the usual case when reading forward)
        }
        else if (!Compressed)
        {
            _stream.Position = offset;
            Reset(offset);
        }
        else
        {
            if (offset < _bufferOffset)
            {
                // A gzip stream only goes forward: start again from the top (costly only for files that are not
                // grouped by patient in the order patients are read).
                _stream.Dispose();
                _stream = Open(_file);
                Reset(0);
                SkipBom();
            }

            while (_bufferOffset + _end < offset && !_eof)
            {
                _start = _end;
                Fill();
            }

            _start = (int)Math.Min(offset - _bufferOffset, _end);
        }

        LineNumber = lineNumber - 1;
    }

    public void Dispose() => _stream.Dispose();

    private ReadOnlyMemory<byte> Take(int length, int consumed)
    {
        LineOffset = _bufferOffset + _start;
        LineNumber++;
        var end = length > 0 && _buffer[_start + length - 1] == (byte)'\r' ? length - 1 : length;
        var line = new ReadOnlyMemory<byte>(_buffer, _start, end);
        _start += consumed;
        return line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            // Keep the partial line, move it to the front.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // a line longer than the buffer
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private void Reset(long offset)
    {
        _bufferOffset = offset;
        _start = 0;
        _end = 0;
        _eof = false;
    }

    private void SkipBom()
    {
        while (_end < 3 && !_eof)
        {
            Fill();
        }

        if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _start = 3;
        }
    }

    private static Stream Open(string file)
    {
        Stream stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return file.EndsWith(".gz", StringComparison.Ordinal)
            ? new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress)
            : stream;
    }
}
