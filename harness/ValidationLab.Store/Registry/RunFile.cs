using System.Security.Cryptography;

namespace ValidationLab.Store;

/// <summary>
/// One file of a run folder, by its name relative to the folder ('/' separators), with its length and SHA-256
/// (lower-case hex): the registry keeps its bytes as chunks so that a run can be re-exported byte-identically. The
/// bytes are never held whole unless asked for (<see cref="Bytes"/>, for small files): a file made from a path is read
/// as a stream, and a stored file is streamed chunk by chunk out of the registry.
/// </summary>
public sealed record RunFile
{
    // One of the three sources: bytes in memory, a file on disk, or the registry's chunks (read lazily, in order).
    private readonly byte[]? bytes;
    private readonly string? path;
    private readonly Func<IEnumerable<byte[]>>? chunks;

    private RunFile(string name, long length, string sha256, byte[]? bytes, string? path, Func<IEnumerable<byte[]>>? chunks)
    {
        Name = name;
        Length = length;
        Sha256 = sha256;
        this.bytes = bytes;
        this.path = path;
        this.chunks = chunks;
    }

    private static readonly AsyncLocal<int?> ChunkSizeOverride = new();

    /// <summary>
    /// The size of the chunks the registry stores a file as (4 MiB): far below the 1 GB limit of one PostgreSQL bytea
    /// or SQLite blob, and large enough that a 2.4 GB file is a few hundred rows. Tests set it small (<see cref="UseChunkSize"/>).
    /// </summary>
    internal static int ChunkSize => ChunkSizeOverride.Value ?? 4 * 1024 * 1024;

    /// <summary>For tests: chunks of <paramref name="size"/> bytes in this async flow only (tests run in parallel).</summary>
    internal static IDisposable UseChunkSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var previous = ChunkSizeOverride.Value;
        ChunkSizeOverride.Value = size;
        return new Restore(() => ChunkSizeOverride.Value = previous);
    }

    public string Name { get; }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    public string Sha256 { get; }

    /// <summary>
    /// The whole file in memory, for small files (results.json): a stored file is verified against its SHA-256 first.
    /// Use <see cref="WriteTo"/> or <see cref="ReadChunks"/> for files of any size.
    /// </summary>
    public byte[] Bytes
    {
        get
        {
            if (bytes is not null)
            {
                return bytes;
            }

            using var buffer = new MemoryStream();
            Copy(buffer);
            return buffer.ToArray();
        }
    }

    /// <summary>A file with its SHA-256 computed from <paramref name="bytes"/>; the name must be relative and stay inside the folder.</summary>
    public static RunFile Of(string name, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return new RunFile(CheckName(name), bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes, null, null);
    }

    /// <summary>
    /// A file on disk, hashed by streaming it (never held whole); recording reads it again chunk by chunk, so the file
    /// must not change in between (a changed length or hash is refused when it is read).
    /// </summary>
    public static RunFile FromPath(string name, string path)
    {
        var full = Path.GetFullPath(path);
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new RunFile(CheckName(name), stream.Length, sha, null, full, null);
    }

    /// <summary>Every file under <paramref name="directory"/> (recursively), named relative to it, in ordinal name order.</summary>
    public static IReadOnlyList<RunFile> ReadFolder(string directory)
    {
        var root = Path.GetFullPath(directory);
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => FromPath(Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), f))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Writes the file under <paramref name="directory"/>, creating folders, chunk by chunk; an existing file is replaced
    /// only with <paramref name="overwrite"/>. Bytes that do not match the recorded SHA-256 or length are refused
    /// (<see cref="InvalidDataException"/>) and the partial file is deleted.
    /// </summary>
    public string WriteTo(string directory, bool overwrite)
    {
        var target = Path.GetFullPath(Path.Combine(directory, Name));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var stream = new FileStream(target, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
        try
        {
            using (stream)
            {
                Copy(stream);
            }
        }
        catch (InvalidDataException)
        {
            File.Delete(target);
            throw;
        }

        return target;
    }

    /// <summary>The file's bytes as chunks of at most <see cref="ChunkSize"/> bytes (stored files: as stored), unverified.</summary>
    public IEnumerable<byte[]> ReadChunks()
    {
        if (chunks is not null)
        {
            return chunks();
        }

        return bytes is not null ? Split(bytes) : ReadPath(path!);
    }

    /// <summary>
    /// The chunks, as <see cref="ReadChunks"/>, then a check that they match the length and SHA-256 (the registry
    /// records with it, so a file that changed after it was hashed is refused before the transaction commits).
    /// </summary>
    internal IEnumerable<byte[]> VerifiedChunks()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long read = 0;
        foreach (var chunk in ReadChunks())
        {
            hash.AppendData(chunk);
            read += chunk.Length;
            yield return chunk;
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != Sha256 || read != Length)
        {
            throw new InvalidDataException($"{Name} changed after it was hashed (SHA-256 {Sha256}, now {actual}; {Length} bytes, now {read}): nothing of the run is recorded");
        }
    }

    /// <summary>
    /// Rebuilds a stored file whose chunks <paramref name="chunks"/> reads on demand; reading it refuses bytes that no
    /// longer match the recorded SHA-256.
    /// </summary>
    internal static RunFile Stored(string name, long length, string sha256, Func<IEnumerable<byte[]>> chunks) =>
        new(name, length, sha256, null, null, chunks);

    /// <summary>Copies the bytes into <paramref name="destination"/>, hashing them on the way, and refuses a mismatch at the end.</summary>
    private void Copy(Stream destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long written = 0;
        foreach (var chunk in ReadChunks())
        {
            hash.AppendData(chunk);
            destination.Write(chunk);
            written += chunk.Length;
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != Sha256 || written != Length)
        {
            var what = chunks is not null ? "the registry's copy of " + Name : Name;
            throw new InvalidDataException($"{what} does not match its recorded SHA-256 ({Sha256}, now {actual}; {Length} bytes recorded, now {written})");
        }
    }

    private static IEnumerable<byte[]> Split(byte[] all)
    {
        for (long offset = 0; offset < all.LongLength; offset += ChunkSize)
        {
            yield return all.AsSpan((int)offset, (int)Math.Min(ChunkSize, all.LongLength - offset)).ToArray();
        }
    }

    private static IEnumerable<byte[]> ReadPath(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var size = ChunkSize;
        while (true)
        {
            var buffer = new byte[size];
            var filled = stream.ReadAtLeast(buffer, size, throwOnEndOfStream: false);
            if (filled == 0)
            {
                yield break;
            }

            yield return filled == size ? buffer : buffer.AsSpan(0, filled).ToArray();
        }
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('\\') || name.StartsWith('/') || name.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"'{name}' is not a relative file name inside a run folder", nameof(name));
        }

        return name;
    }
}
