using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store;

/// <summary>
/// Answers that arrived while the run store was unavailable, kept in a local file until the store is back, so that
/// nothing paid for is asked of the model twice. One process appends to its own file (<c>answers-*.jsonl</c> in
/// <see cref="Folder"/>, format in <see cref="SpoolFormat"/>), created on the first append; each append is one
/// <c>write()</c> followed by an fsync before <see cref="Append(string, string?, RunnerIdentity, ModelRequest, ModelResponse, string?)"/>
/// returns (this is the rare path, so it also survives losing the machine, e.g. a Kubernetes node). The file stays
/// locked while this object is open, which is how <see cref="Drain"/> tells a live writer from a finished or killed one.
/// <para>
/// A run keeps its spool beside its results (<see cref="FolderFor"/>: a hidden folder inside <c>--out</c>), because
/// that is the one place that outlives the process and is seen again by the run that completes it: the
/// <c>--resume</c> of the same command, or the retried pod of a Kubernetes shard whose <c>--out</c> is on the results
/// volume. The run writer replaces only run files there (even with <c>--overwrite</c>), never this folder.
/// </para>
/// Thread-safe.
/// </summary>
public sealed class ResponseSpool : IDisposable
{
    /// <summary>The spool folder's name inside a run's output folder.</summary>
    public const string FolderName = ".validationlab-spool";

    private const string FilePattern = "answers-*.jsonl";

    private readonly Lock _gate = new();
    private FileStream? _file;
    private int _count;
    private bool _disposed;

    /// <param name="folder">Where the spool file goes (created on the first append).</param>
    /// <param name="store">The store the answers are for (<see cref="IRunStore.Description"/>): only that store drains them.</param>
    public ResponseSpool(string folder, string store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        Folder = Path.GetFullPath(folder);
        Store = store;
    }

    /// <summary>The spool folder of the run writing to <paramref name="outDirectory"/>.</summary>
    public static string FolderFor(string outDirectory) => Path.Combine(Path.GetFullPath(outDirectory), FolderName);

    public string Folder { get; }

    public string Store { get; }

    /// <summary>This process's spool file, once something was appended; null before.</summary>
    public string? FilePath { get; private set; }

    /// <summary>How many answers this object appended.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// Appends a successful answer as the store would have written it (with its link to <paramref name="runId"/>);
    /// returns once it is in the file and flushed to disk. An error response is not spooled (nothing to keep).
    /// </summary>
    /// <exception cref="IOException">The spool could not be written (the answer is not kept).</exception>
    public void Append(string key, string? requestHash, RunnerIdentity identity, ModelRequest request, ModelResponse response, string? runId)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsError)
        {
            return;
        }

        Append(new CacheWrite(CacheRows.Response(key, requestHash, identity, request, response), runId is null ? null : CacheRows.Link(runId, request, key)));
    }

    internal void Append(CacheWrite write)
    {
        var line = SpoolFormat.Entry(write);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var file = _file ?? Create();
            file.Write(line);
            file.Flush(flushToDisk: true);
            _count++;
        }
    }

    /// <summary>Closes the file (it stays for <see cref="Drain"/>) and releases its lock.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _file?.Dispose();
            _file = null;
        }
    }

    private FileStream Create()
    {
        var (path, file) = CreateFile(Folder, Store, fsync: true);
        _file = file;
        FilePath = path;
        return file;
    }

    /// <summary>A new spool file in <paramref name="folder"/> (created) with its header written, open and locked for appending.</summary>
    internal static (string Path, FileStream File) CreateFile(string folder, string store, bool fsync)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"answers-{DateTime.UtcNow:yyyyMMddTHHmmss}-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl");

        // FileShare.None: on Linux and macOS .NET holds an exclusive advisory lock (flock) while the file is open, so a
        // drain in another process (or this one) cannot take a file whose writer is alive; a killed writer's lock is gone.
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            file.Write(SpoolFormat.Header(store));
            file.Flush(flushToDisk: fsync);
        }
        catch
        {
            file.Dispose();
            File.Delete(path);
            throw;
        }

        return (path, file);
    }

    /// <summary>
    /// Writes every spool file in <paramref name="folder"/> made for <paramref name="store"/> into it, then deletes the
    /// file (only once all its answers are committed, so a crash while draining loses nothing and the next drain writes
    /// them again: the first answer stored under a key wins, so an answer already there is left as it is). Skipped with
    /// a note: a file another live process is writing, a file made for another store. A line cut short by a crash is
    /// skipped with a warning. Nothing to do when the folder does not exist.
    /// </summary>
    /// <param name="note">Hears one line per file drained or skipped and per line skipped.</param>
    /// <exception cref="StoreUnavailableException">The store went away while draining; the files stay.</exception>
    public static SpoolDrain Drain(string folder, IRunStore store, Action<string>? note = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(store);
        if (store.Responses is not ISpoolTarget target)
        {
            throw new ArgumentException("this store's response cache cannot take spooled answers", nameof(store));
        }

        var result = new SpoolDrain(0, 0, 0);
        if (!Directory.Exists(folder))
        {
            return result;
        }

        foreach (var path in Directory.EnumerateFiles(folder, FilePattern).Order(StringComparer.Ordinal).ToList())
        {
            result = DrainFile(path, store.Description, target, note, result);
        }

        try
        {
            if (!Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
        catch (IOException)
        {
            // Another process just started a spool here: the folder is theirs now.
        }

        return result;
    }

    /// <summary>
    /// The answers of one spool file as a drain would read them: the store it names (null: not a spool file) and the
    /// cache keys of its complete entries. Lines cut short are reported to <paramref name="note"/>.
    /// </summary>
    public static (string? Store, IReadOnlyList<string> Keys) Read(string path, Action<string>? note = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var (store, entries) = Parse(File.ReadAllBytes(path), path, note);
        return (store, entries.Select(e => (string)(e.Response?[0] ?? e.Link![4])!).ToList());
    }

    private static SpoolDrain DrainFile(string path, string description, ISpoolTarget target, Action<string>? note, SpoolDrain sofar)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException)
        {
            note?.Invoke($"note: {path} is being written by a running process; left for it");
            return sofar with { Skipped = sofar.Skipped + 1 };
        }
        catch (UnauthorizedAccessException e)
        {
            note?.Invoke($"warning: {path} cannot be opened ({e.Message}); left in place");
            return sofar with { Skipped = sofar.Skipped + 1 };
        }

        SpoolDrain drained;
        using (file)
        {
            var bytes = new byte[file.Length];
            file.ReadExactly(bytes);
            if (bytes.AsSpan().IndexOf((byte)'\n') < 0)
            {
                // Not even its header was written completely (the process stopped as it created the file): no answers.
                drained = sofar;
                note?.Invoke($"note: {path} holds no answers (its writer stopped as it created it); removed");
            }
            else
            {
                drained = DrainEntries(path, bytes, description, target, note, sofar);
                if (drained == sofar)
                {
                    return drained with { Skipped = sofar.Skipped + 1 };
                }
            }
        }

        // Only now that every answer is committed (closed first: Windows cannot delete an open file; a second drain
        // that opens it in between writes the same answers again, which changes nothing).
        File.Delete(path);
        return drained;
    }

    /// <summary>The file's answers written into the store; <paramref name="sofar"/> unchanged when it is not this store's.</summary>
    private static SpoolDrain DrainEntries(string path, byte[] bytes, string description, ISpoolTarget target, Action<string>? note, SpoolDrain sofar)
    {
        var (store, entries) = Parse(bytes, path, note);
        if (store is null)
        {
            note?.Invoke($"warning: {path} is not a ValidationLab spool file (no header); left in place");
            return sofar;
        }

        if (!string.Equals(store, description, StringComparison.Ordinal))
        {
            note?.Invoke($"note: {path} holds answers for the run store {store}, not {description}; left in place (a run on that store writes them)");
            return sofar;
        }

        // Queued together, committed in as few transactions as the writer makes; the file goes only after all of
        // them are in (an exception here leaves it for the next drain).
        Task.WhenAll(entries.Select(target.WriteSpooledAsync)).GetAwaiter().GetResult();
        note?.Invoke($"note: wrote {entries.Count} answer{(entries.Count == 1 ? "" : "s")} spooled while the run store was unavailable ({Path.GetFileName(path)}) into {description}");
        return sofar with { Files = sofar.Files + 1, Answers = sofar.Answers + entries.Count };
    }

    private static (string? Store, List<CacheWrite> Entries) Parse(byte[] bytes, string path, Action<string>? note)
    {
        var lines = SpoolFormat.Lines(bytes, out var tail);
        var entries = new List<CacheWrite>();
        if (lines.Count == 0)
        {
            return (null, entries);
        }

        var store = SpoolFormat.ReadHeader(lines[0].Span);
        if (store is null)
        {
            return (null, entries);
        }

        for (var i = 1; i < lines.Count; i++)
        {
            if (SpoolFormat.ReadEntry(lines[i].Span) is { } entry)
            {
                entries.Add(entry);
            }
            else
            {
                note?.Invoke($"warning: {path} line {i + 1} is not a complete answer (a write cut short?); skipped");
            }
        }

        if (tail.Length > 0)
        {
            note?.Invoke($"warning: {path} line {lines.Count + 1} was cut short (the writing process stopped mid-write); skipped");
        }

        return (store, entries);
    }
}

/// <summary>What <see cref="ResponseSpool.Drain"/> did: files written into the store and deleted, answers they held, files left in place.</summary>
public sealed record SpoolDrain(int Files, int Answers, int Skipped);

/// <summary>A response cache that takes spooled rows as they are (<see cref="ResponseSpool.Drain"/>).</summary>
internal interface ISpoolTarget
{
    /// <summary>Queues the rows for the group commit; completes once committed (a key already stored keeps its answer).</summary>
    Task WriteSpooledAsync(CacheWrite write);
}
