using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store;

/// <summary>
/// A response cache whose durable tier is a local append-only journal in front of the store's database: a put is one
/// <c>write()</c> of the answer's line to this process's journal file, made on the caller's thread (no hand-off to a
/// writer thread, no wait for a database commit), so it survives a process crash once the call returns ("returned ⇒
/// durable", as a SQLite commit with <c>synchronous = NORMAL</c> does); a background drainer then writes the journaled
/// answers into the store in large transactions (a commit of thousands of rows writes each touched B-tree page once,
/// where one commit per few answers writes the same pages again and again). Lookups see journaled answers before they
/// reach the store (an in-memory index). <see cref="Flush"/>, <see cref="CountAnswered"/> and
/// <see cref="Dispose"/> drain everything first; an emptied journal is truncated, and deleted on dispose.
/// <para>
/// The journal file is a spool file (<see cref="ResponseSpool"/>, same format, same folder): if the process dies, or
/// the store goes away so that the drainer cannot write, the answers stay in it and the next <see cref="Open"/> of
/// that folder for that store (or <see cref="ResponseSpool.Drain"/>) writes them in; the file is locked while its
/// owner lives, so several processes sharing one store (each with its own journal) never take each other's. Once the
/// store was found unavailable, lookups of answers not journaled throw <see cref="StoreUnavailableException"/> (so a
/// <see cref="CachingModelRunner"/> stops sending), and puts still journal: nothing received is lost.
/// </para>
/// Thread-safe. Does not own the store.
/// </summary>
public sealed class ResponseJournal : IResponseCache, IDisposable
{
    /// <summary>Answers drained into the store per transaction at most.</summary>
    private const int MaxBatch = 4096;

    /// <summary>How long a few journaled answers may wait for more before they are drained anyway.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(200);

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_line;

    private readonly IResponseCache _inner;
    private readonly ISpoolTarget _target;
    private readonly string _store;
    private readonly ConcurrentDictionary<string, object?[]> _unstored = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly string _folder;
    private FileStream? _file;
    private long _headerLength;
    private readonly Thread _drainer;
    private List<CacheWrite> _pending = new(256);
    private long _appended;
    private long _committed;
    private bool _drainWanted;
    private bool _closing;
    private bool _drainerWaiting;
    private bool _dirty;
    private bool _drainerGone;
    private Exception? _failure;

    private ResponseJournal(IRunStore store, string folder)
    {
        _inner = store.Responses;
        _target = (ISpoolTarget)store.Responses;
        _store = store.Description;
        _folder = folder;
        _drainer = new Thread(DrainLoop) { IsBackground = true, Name = "ValidationLab response journal drainer" };
        _drainer.Start();
    }

    /// <summary>This process's journal file, once the first answer was journaled (the folder is created then); null before.</summary>
    public string? FilePath { get; private set; }

    /// <summary>The folder journal files go to (and are drained from).</summary>
    public string Folder => _folder;

    /// <summary>Answers journaled and not yet committed to the store (all of them once the store is unavailable).</summary>
    public long Undrained
    {
        get
        {
            lock (_gate)
            {
                return _appended - _committed;
            }
        }
    }

    /// <summary>
    /// Why the drainer stopped writing into the store (the store went away, or refused the writes), or null; the
    /// answers it could not write stay in the journal for the next run.
    /// </summary>
    public StoreUnavailableException? StoreFailure
    {
        get
        {
            lock (_gate)
            {
                return _failure switch
                {
                    null => null,
                    StoreUnavailableException lost => lost,
                    var e => new StoreUnavailableException($"the run store {_store} could not take the journaled answers: {e.Message}", e),
                };
            }
        }
    }

    /// <summary>
    /// Drains the spool and journal files that earlier processes left in <paramref name="folder"/> for this store
    /// (<see cref="ResponseSpool.Drain"/>), then starts this process's journal there.
    /// </summary>
    public static ResponseJournal Open(IRunStore store, string folder, Action<string>? note = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(folder);
        if (store.Responses is not ISpoolTarget)
        {
            throw new ArgumentException("this store's response cache cannot take journaled answers", nameof(store));
        }

        ResponseSpool.Drain(folder, store, note);
        return new ResponseJournal(store, Path.GetFullPath(folder));
    }

    /// <inheritdoc />
    public bool Contains(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_unstored.ContainsKey(key))
        {
            return true;
        }

        ThrowIfStoreLost();
        return _inner.Contains(key);
    }

    /// <inheritdoc />
    public bool TryGetResponse(string key, ModelRequest request, out ModelResponse response)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        if (_unstored.TryGetValue(key, out var row))
        {
            response = CacheRows.Answer(request, (string?)row[7], row[8] as byte[], row[8] is not null, (double?)row[9], (double)row[10]!,
                (int?)row[11], (int?)row[12], (string?)row[13], (string?)row[14]);
            return true;
        }

        ThrowIfStoreLost();
        return _inner.TryGetResponse(key, request, out response);
    }

    /// <inheritdoc />
    /// <remarks>Completes (synchronously) once the answer is in the journal file; the store gets it in the next drain.</remarks>
    public Task PutResponseAsync(string key, string? requestHash, RunnerIdentity identity, ModelRequest request, ModelResponse response, string? runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        var link = runId is null ? null : CacheRows.Link(runId, request, key);
        if (response.IsError)
        {
            return link is null ? Task.CompletedTask : Append(new CacheWrite(null, link));
        }

        var row = CacheRows.Response(key, requestHash, identity, request, response);

        // Indexed first: from the moment the drainer can see it, a lookup finds it here or in the store. The first
        // answer under a key wins, here as in the store.
        var indexed = _unstored.TryAdd(key, row);
        try
        {
            return Append(new CacheWrite(row, link));
        }
        catch (StoreUnavailableException)
        {
            if (indexed)
            {
                _unstored.TryRemove(new KeyValuePair<string, object?[]>(key, row));
            }

            throw;
        }
    }

    /// <inheritdoc />
    public Task LinkResponseAsync(string runId, ModelRequest request, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);

        // Journaled too, so it reaches the store after the answer it names.
        return Append(new CacheWrite(null, CacheRows.Link(runId, request, key)));
    }

    /// <summary>Drains every answer journaled before the call into the store and returns once committed (or the store failed).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            var target = _appended;
            _drainWanted = true;
            Monitor.PulseAll(_gate);
            while (_committed < target && _failure is null && !_drainerGone)
            {
                Monitor.Wait(_gate);
            }
        }

        _inner.Flush();
    }

    /// <inheritdoc />
    public long CountAnswered(string runId)
    {
        Flush();
        return _inner.CountAnswered(runId);
    }

    /// <inheritdoc />
    public long CachedResponseCount
    {
        get
        {
            Flush();
            return _inner.CachedResponseCount;
        }
    }

    /// <summary>
    /// Drains everything into the store, then deletes the journal; when the store could not take it all, the journal
    /// stays (closed, so unlocked) for the next run to drain.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            Monitor.PulseAll(_gate);
        }

        _drainer.Join();
        bool keep;
        lock (_gate)
        {
            keep = _committed < _appended || _dirty;
        }

        if (_file is null)
        {
            return;
        }

        _file.Dispose();
        if (!keep)
        {
            File.Delete(FilePath!);
            try
            {
                var folder = Path.GetDirectoryName(FilePath)!;
                if (!Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    Directory.Delete(folder);
                }
            }
            catch (IOException)
            {
                // Another process started its journal here meanwhile.
            }
        }
    }

    private void ThrowIfStoreLost()
    {
        if (Volatile.Read(ref _failure) is StoreUnavailableException lost)
        {
            throw lost;
        }
    }

    /// <summary>One write() of the entry's line on the caller's thread, then queued for the drainer.</summary>
    private Task Append(CacheWrite write)
    {
        var (buffer, writer) = t_line ??= NewLine();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        SpoolFormat.WriteEntry(write, writer, buffer);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);

            // Failing here fails the put: the answer is not kept, and the caller says so (it is not handed out); as
            // for a lost server, the run stops asking (CachingModelRunner) rather than pay for answers it cannot keep.
            var at = _file?.Position ?? -1;
            try
            {
                var file = _file ?? CreateFile();
                file.Write(buffer.WrittenSpan);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TryCut(at);
                throw new StoreUnavailableException($"the response journal in {_folder} for the run store {_store} cannot be written: {e.Message}", e);
            }

            _pending.Add(write);
            _appended++;
            if (_drainerWaiting && _pending.Count >= MaxBatch)
            {
                Monitor.PulseAll(_gate);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Under the gate: takes a line written in part off the end again, so the next line starts on its own.</summary>
    private void TryCut(long at)
    {
        try
        {
            if (_file is not null && at >= 0)
            {
                _file.SetLength(at);
                _file.Position = at;
            }
        }
        catch (IOException)
        {
            // A reader skips the damaged line (and warns); the answers on other lines are read as usual.
        }
    }

    /// <summary>Under the gate: this process's journal file, created with its header (and its folder) on the first append.</summary>
    private FileStream CreateFile()
    {
        var (path, file) = ResponseSpool.CreateFile(_folder, _store, fsync: false);
        _headerLength = file.Length;
        FilePath = path;
        _file = file;
        return file;
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewLine()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer));
    }

    /// <summary>
    /// Takes what is journaled (when there is a full batch, a flush or close asks, or it has waited <see cref="Linger"/>),
    /// commits it in one transaction, then forgets it from the index; an empty journal is truncated to its header.
    /// </summary>
    private void DrainLoop()
    {
        try
        {
            while (true)
            {
                List<CacheWrite> batch;
                lock (_gate)
                {
                    while (_failure is null && !_closing && !_drainWanted && _pending.Count < MaxBatch)
                    {
                        _drainerWaiting = true;
                        var signalled = Monitor.Wait(_gate, Linger);
                        _drainerWaiting = false;
                        if (!signalled && _pending.Count > 0)
                        {
                            break;
                        }
                    }

                    if (_pending.Count == 0 || _failure is not null)
                    {
                        _drainWanted = false;
                        Monitor.PulseAll(_gate);
                        if (_closing || _failure is not null)
                        {
                            return;
                        }

                        continue;
                    }

                    if (_pending.Count <= MaxBatch)
                    {
                        batch = _pending;
                        _pending = new List<CacheWrite>(Math.Max(256, batch.Count));
                    }
                    else
                    {
                        batch = _pending.GetRange(0, MaxBatch);
                        _pending.RemoveRange(0, MaxBatch);
                    }
                }

                Commit(batch);
                foreach (var w in batch)
                {
                    if (w.Response is { } row)
                    {
                        _unstored.TryRemove(new KeyValuePair<string, object?[]>((string)row[0]!, row));
                    }
                }

                lock (_gate)
                {
                    _committed += batch.Count;
                    if (_pending.Count == 0 && !_dirty && _file is not null)
                    {
                        // Everything written to the file is in the store: start it again (its header stays).
                        _file.SetLength(_headerLength);
                        _file.Position = _headerLength;
                    }

                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _failure ??= e;
                _drainerGone = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>One transaction; a batch with a bad row is written row by row so only that row stays behind (in the journal).</summary>
    private void Commit(List<CacheWrite> batch)
    {
        try
        {
            // In journal order (inserting in key order instead was measured: within the noise, so not done).
            _target.WriteSpooledAsync(new CacheWrite(null, null) { Batch = batch }).GetAwaiter().GetResult();
        }
        catch (StoreUnavailableException)
        {
            throw;
        }
        catch (Exception) when (batch.Count > 1)
        {
            var rows = batch.Select(w => (Write: w, Task: _target.WriteSpooledAsync(w))).ToList();
            foreach (var (_, task) in rows)
            {
                try
                {
                    task.GetAwaiter().GetResult();
                }
                catch (StoreUnavailableException)
                {
                    throw;
                }
                catch (Exception)
                {
                    // This answer cannot be stored (the database refuses it): the journal file is kept, with it, for a
                    // later drain (a put to the store directly would have failed).
                    lock (_gate)
                    {
                        _dirty = true;
                    }
                }
            }
        }
    }
}
