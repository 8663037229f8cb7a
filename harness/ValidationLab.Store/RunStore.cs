using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using ValidationLab.Errors;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store;

/// <summary>
/// The run store: one embedded SQLite file (WAL mode) holding a content-addressed response cache and the run records
/// used for resume (the seed of the later run registry). A response is durable against a process crash (Ctrl-C,
/// kill -9) as soon as <see cref="PutResponse"/> returns or the task of <see cref="PutResponseAsync"/> completes.
/// Errors are never cached.
/// <para>
/// Group commit: writers enqueue their rows and wait; one writer thread drains the queue and commits everything pending
/// in one transaction, then completes all their waits (a SQLite commit costs tens of microseconds whatever it holds,
/// so concurrent answers share one). A row that fails is retried alone, so it never fails the others of its batch.
/// Reads (cache lookups) use a second connection (WAL: readers never wait for the writer). Thread-safe.
/// </para>
/// </summary>
public sealed class RunStore : IDisposable
{
    /// <summary>The schema this code writes (SQLite <c>user_version</c>); older stores are migrated on open.</summary>
    public const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;
    private readonly SqliteConnection _readConnection;
    private readonly Lock _gate = new();
    private readonly Lock _readGate = new();
    private readonly sqlite3_stmt _get;
    private readonly sqlite3_stmt _exists;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _put;
    private readonly sqlite3_stmt _link;
    private readonly object _queueGate = new();
    private readonly Queue<PendingWrite> _queue = new();
    private readonly Thread _writer;
    private bool _writerWaiting;
    private bool _closing;
    private bool _disposed;

    private RunStore(string path, SqliteConnection connection, SqliteConnection readConnection)
    {
        FilePath = path;
        _connection = connection;
        _readConnection = readConnection;
        _get = PrepareRaw(_readConnection, """
            SELECT text, loglikelihoods, probability, latency_ms, prompt_tokens, completion_tokens, cost, method
            FROM responses WHERE cache_key = ?1
            """);
        _exists = PrepareRaw(_readConnection, "SELECT 1 FROM responses WHERE cache_key = ?1");
        _begin = PrepareRaw(_connection, "BEGIN IMMEDIATE");
        _commit = PrepareRaw(_connection, "COMMIT");

        // The hot statements go straight to SQLite (bind, step, reset): Microsoft.Data.Sqlite's command layer costs
        // about as much per row as the insert itself, and the single writer is the group commit's bottleneck.
        _put = PrepareRaw(_connection, """
            INSERT OR IGNORE INTO responses (cache_key, runner, model, source, fingerprint, request_hash, kind, text, loglikelihoods,
                probability, latency_ms, prompt_tokens, completion_tokens, cost, method, created_utc)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
            """);
        _link = PrepareRaw(_connection, "INSERT OR REPLACE INTO run_responses (run_id, suite, item_id, request_id, cache_key) VALUES (?1, ?2, ?3, ?4, ?5)");
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "ValidationLab run store writer" };
        _writer.Start();
    }

    /// <summary>The store file.</summary>
    public string FilePath { get; }

    /// <summary><c>.validationlab/store.db</c> under <paramref name="workingDirectory"/>.</summary>
    public static string DefaultPath(string workingDirectory) => Path.Combine(workingDirectory, ".validationlab", "store.db");

    /// <summary>Opens (creating or migrating) the store at <paramref name="path"/>.</summary>
    public static RunStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;");

            // Checkpoint every 10,000 WAL pages (~40 MB) rather than SQLite's 1,000: answers land on random pages of the
            // key index, and a longer interval copies each hot page back once instead of many times (about +40%
            // answers/s on the cache-miss benchmark). Durability is unchanged: a commit is in the WAL either way.
            Execute(connection, "PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864;");
            Migrate(connection, full);
            var reader = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = full,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
            try
            {
                reader.Open();
                Execute(reader, "PRAGMA busy_timeout = 10000;");
                return new RunStore(full, connection, reader);
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new InputException($"cannot open the run store: {e.Message}", full, inner: e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The cache key: SHA-256 over the runner identity (runner, model, source, fingerprint) and the canonical JSON of
    /// the request content (prompt and decoding parameters; ids excluded).
    /// </summary>
    public static string CacheKey(RunnerIdentity identity, ModelRequest request) => Keys(identity, request).CacheKey;

    /// <summary>
    /// <see cref="CacheKey"/> and <see cref="RequestHasher.Hash"/> of the request (stored with the answer), from one
    /// canonical serialization of the request.
    /// </summary>
    public static (string CacheKey, string RequestHash) Keys(RunnerIdentity identity, ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        var canonical = RequestHasher.CanonicalJson(request);

        // The key is SHA-256 over the UTF-8 of "validationlab-cache/1\0runner\0model\0source\0fingerprint\0" + canonical;
        // the request hash is SHA-256 over the UTF-8 of canonical alone: one buffer holds both, the second at its tail.
        var prefix = KeyPrefix(identity);
        var length = prefix.Length + Encoding.UTF8.GetMaxByteCount(canonical.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            prefix.CopyTo(buffer, 0);
            var written = prefix.Length + Encoding.UTF8.GetBytes(canonical, buffer.AsSpan(prefix.Length));
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, written), hash);
            var key = Convert.ToHexStringLower(hash);
            SHA256.HashData(buffer.AsSpan(prefix.Length, written - prefix.Length), hash);
            return (key, Convert.ToHexStringLower(hash));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [ThreadStatic]
    private static (RunnerIdentity Identity, byte[] Prefix)? _lastPrefix;

    private static byte[] KeyPrefix(RunnerIdentity identity)
    {
        if (_lastPrefix is { } last && ReferenceEquals(last.Identity, identity))
        {
            return last.Prefix;
        }

        var prefix = Encoding.UTF8.GetBytes(string.Join('\0', "validationlab-cache/1", identity.Runner, identity.Model, identity.Source ?? "", identity.Fingerprint) + "\0");
        _lastPrefix = (identity, prefix);
        return prefix;
    }

    /// <summary>True when an answer is stored under <paramref name="key"/>.</summary>
    public bool Contains(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_readGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                Check(raw.sqlite3_bind_text(_exists, 1, key), _readConnection);
                return Row(_exists, _readConnection);
            }
            finally
            {
                raw.sqlite3_reset(_exists);
            }
        }
    }

    /// <summary>The stored answer for <paramref name="key"/>, addressed to <paramref name="request"/>'s suite, item and request ids.</summary>
    public bool TryGetResponse(string key, ModelRequest request, out ModelResponse response)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        lock (_readGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var q = _get;
            try
            {
                Check(raw.sqlite3_bind_text(q, 1, key), _readConnection);
                if (!Row(q, _readConnection))
                {
                    response = null!;
                    return false;
                }

                response = new ModelResponse
                {
                    Suite = request.Suite,
                    ItemId = request.ItemId,
                    RequestId = request.RequestId,
                    Text = IsNull(q, 0) ? null : raw.sqlite3_column_text(q, 0).utf8_to_string(),
                    LogLikelihoods = IsNull(q, 1) ? null : MemoryMarshal.Cast<byte, double>(raw.sqlite3_column_blob(q, 1)).ToArray(),
                    Probability = IsNull(q, 2) ? null : raw.sqlite3_column_double(q, 2),
                    LatencyMs = raw.sqlite3_column_double(q, 3),
                    Usage = IsNull(q, 4)
                        ? null
                        : new TokenUsage(raw.sqlite3_column_int(q, 4), raw.sqlite3_column_int(q, 5),
                            IsNull(q, 6) ? null : decimal.Parse(raw.sqlite3_column_text(q, 6).utf8_to_string(), CultureInfo.InvariantCulture)),
                    Method = IsNull(q, 7) ? null : raw.sqlite3_column_text(q, 7).utf8_to_string(),
                };
                return true;
            }
            finally
            {
                raw.sqlite3_reset(q);
            }
        }
    }

    private static bool IsNull(sqlite3_stmt stmt, int column) => raw.sqlite3_column_type(stmt, column) == raw.SQLITE_NULL;

    /// <summary>Steps a query: true on a row, false when done; throws on an error.</summary>
    private static bool Row(sqlite3_stmt stmt, SqliteConnection connection)
    {
        var rc = raw.sqlite3_step(stmt);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }

        return false;
    }

    private static void Check(int rc, SqliteConnection connection) => SqliteException.ThrowExceptionForRC(rc, connection.Handle);

    /// <summary>
    /// Stores a successful answer under <paramref name="key"/> and returns once it is committed. Failed responses are
    /// ignored (errors are never cached); an existing entry is kept (first answer wins).
    /// </summary>
    public void PutResponse(string key, RunnerIdentity identity, ModelRequest request, ModelResponse response) =>
        PutResponseAsync(key, null, identity, request, response, null, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Stores a successful answer under <paramref name="key"/> (and, with <paramref name="runId"/>, links it to that
    /// run in the same transaction); the task completes once both are committed (group commit with the other writers
    /// waiting at the same time). Failed responses are ignored. Cancelling stops the wait, not the write.
    /// </summary>
    public Task PutResponseAsync(string key, string? requestHash, RunnerIdentity identity, ModelRequest request, ModelResponse response, string? runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsError)
        {
            return runId is null ? Task.CompletedTask : LinkResponseAsync(runId, request, key, cancellationToken);
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the run store stores log-likelihoods little-endian");
        }

        // The row is built here, on the caller's thread, so the single writer only binds and steps.
        var row = new object[]
        {
            key,
            identity.Runner,
            identity.Model,
            (object?)identity.Source ?? DBNull.Value,
            identity.Fingerprint,
            requestHash ?? RequestHasher.Hash(request),
            request.Kind.ToString(),
            (object?)response.Text ?? DBNull.Value,
            response.LogLikelihoods is { } ll ? MemoryMarshal.AsBytes(ll.ToArray().AsSpan()).ToArray() : DBNull.Value,
            (object?)response.Probability ?? DBNull.Value,
            response.LatencyMs,
            (object?)response.Usage?.PromptTokens ?? DBNull.Value,
            (object?)response.Usage?.CompletionTokens ?? DBNull.Value,
            (object?)response.Usage?.Cost?.ToString(CultureInfo.InvariantCulture) ?? DBNull.Value,
            (object?)response.Method ?? DBNull.Value,
            DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        var pending = new PendingWrite(row, runId is null ? null : LinkRow(runId, request, key));
        Enqueue(pending);
        return cancellationToken.CanBeCanceled ? pending.Done.Task.WaitAsync(cancellationToken) : pending.Done.Task;
    }

    /// <summary>Records that <paramref name="runId"/> got its answer for the request from the entry <paramref name="key"/>.</summary>
    public void LinkResponse(string runId, ModelRequest request, string key) =>
        LinkResponseAsync(runId, request, key, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>As <see cref="LinkResponse"/>, group-committed; the task completes once the link is committed.</summary>
    public Task LinkResponseAsync(string runId, ModelRequest request, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        var pending = new PendingWrite(null, LinkRow(runId, request, key));
        Enqueue(pending);
        return cancellationToken.CanBeCanceled ? pending.Done.Task.WaitAsync(cancellationToken) : pending.Done.Task;
    }

    /// <summary>Returns once every write enqueued before the call is committed (or has failed).</summary>
    public void Flush()
    {
        var marker = new PendingWrite(null, null);
        Enqueue(marker);
        marker.Done.Task.GetAwaiter().GetResult();
    }

    private static object[] LinkRow(string runId, ModelRequest request, string key) => [runId, request.Suite, request.ItemId, request.RequestId, key];

    /// <summary>One writer's rows and the wait that completes when they are committed.</summary>
    private sealed class PendingWrite(object[]? response, object[]? link)
    {
        public object[]? Response { get; } = response;

        public object[]? Link { get; } = link;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void Enqueue(PendingWrite pending)
    {
        lock (_queueGate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            _queue.Enqueue(pending);
            if (_writerWaiting)
            {
                Monitor.Pulse(_queueGate);
            }
        }
    }

    /// <summary>The single writer: takes everything pending, commits it in one transaction, completes the waits.</summary>
    private void WriterLoop()
    {
        var batch = new List<PendingWrite>();
        while (true)
        {
            lock (_queueGate)
            {
                while (_queue.Count == 0)
                {
                    if (_closing)
                    {
                        return;
                    }

                    _writerWaiting = true;
                    Monitor.Wait(_queueGate);
                    _writerWaiting = false;
                }

                while (_queue.TryDequeue(out var p))
                {
                    batch.Add(p);
                }
            }

            CommitBatch(batch);
            batch.Clear();
        }
    }

    private void CommitBatch(List<PendingWrite> batch)
    {
        Exception? failure = null;
        lock (_gate)
        {
            try
            {
                WriteInTransaction(batch);
            }
            catch (Exception e)
            {
                // Whatever went wrong belongs to the waiting writers, never to this thread (it must outlive any row).
                failure = e;
            }
        }

        if (failure is null)
        {
            foreach (var p in batch)
            {
                p.Done.TrySetResult();
            }

            return;
        }

        if (batch.Count == 1)
        {
            batch[0].Done.TrySetException(failure);
            return;
        }

        // One bad row must not fail the others: the batch was rolled back, so commit each alone.
        var one = new List<PendingWrite>(1) { batch[0] };
        foreach (var p in batch)
        {
            one[0] = p;
            CommitBatch(one);
        }
    }

    /// <summary>Under <see cref="_gate"/>: every row of the batch in one transaction (rolled back on any error).</summary>
    private void WriteInTransaction(List<PendingWrite> batch)
    {
        Step(_begin, []);
        try
        {
            foreach (var p in batch)
            {
                if (p.Response is { } row)
                {
                    Step(_put, row);
                }

                if (p.Link is { } link)
                {
                    Step(_link, link);
                }
            }

            Step(_commit, []);
        }
        catch
        {
            if (raw.sqlite3_get_autocommit(_connection.Handle) == 0)
            {
                raw.sqlite3_exec(_connection.Handle, "ROLLBACK");
            }

            throw;
        }
    }

    private static sqlite3_stmt PrepareRaw(SqliteConnection connection, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out var stmt);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        return stmt;
    }

    /// <summary>Binds <paramref name="values"/> (string, byte[], double, int, DBNull) to ?1.. and runs the statement once.</summary>
    private void Step(sqlite3_stmt stmt, object[] values)
    {
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                var rc = values[i] switch
                {
                    string text => raw.sqlite3_bind_text(stmt, i + 1, text),
                    byte[] blob => raw.sqlite3_bind_blob(stmt, i + 1, blob),
                    double real => raw.sqlite3_bind_double(stmt, i + 1, real),
                    int integer => raw.sqlite3_bind_int64(stmt, i + 1, integer),
                    DBNull => raw.sqlite3_bind_null(stmt, i + 1),
                    var other => throw new InvalidOperationException($"cannot store a {other.GetType().Name}"),
                };
                SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
            }

            var step = raw.sqlite3_step(stmt);
            if (step != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(step, _connection.Handle);
            }
        }
        finally
        {
            raw.sqlite3_reset(stmt);
        }
    }

    /// <summary>How many requests of <paramref name="runId"/> have a stored answer (progress shown on resume).</summary>
    public long CountAnswered(string runId) => FlushThen(() => Scalar<long>("SELECT COUNT(*) FROM run_responses WHERE run_id = $a", runId));

    /// <summary>How many answers the cache holds.</summary>
    public long CachedResponseCount => FlushThen(() => Scalar<long>("SELECT COUNT(*) FROM responses"));

    private T FlushThen<T>(Func<T> read)
    {
        Flush();
        return read();
    }

    /// <summary>
    /// Starts a run of the config whose SHA-256 is <paramref name="configSha256"/> and returns its id. With
    /// <paramref name="resume"/>, the latest unfinished run of the same config is continued (same id) when there is
    /// one; otherwise a new run starts.
    /// </summary>
    public string BeginRun(string configSha256, bool resume)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configSha256);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var tx = _connection.BeginTransaction(deferred: false);
            if (resume && FindUnfinishedLocked(configSha256, tx) is { } existing)
            {
                using var bump = Command("UPDATE runs SET resume_count = resume_count + 1, last_resumed_utc = $a WHERE run_id = $b", tx, Now(), existing);
                bump.ExecuteNonQuery();
                tx.Commit();
                return existing;
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
            using var insert = Command("INSERT INTO runs (run_id, config_sha256, status, started_utc) VALUES ($a, $b, 'running', $c)", tx, id, configSha256, Now());
            insert.ExecuteNonQuery();
            tx.Commit();
            return id;
        }
    }

    /// <summary>The latest unfinished run of this config, if any (what <c>--resume</c> would continue).</summary>
    public string? FindUnfinishedRun(string configSha256)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return FindUnfinishedLocked(configSha256, null);
        }
    }

    /// <summary>Marks the run finished; a finished run is never resumed.</summary>
    public void FinishRun(string runId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var cmd = Command("UPDATE runs SET status = 'finished', finished_utc = $a WHERE run_id = $b", null, Now(), runId);
            if (cmd.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"no run '{runId}' in the store");
            }
        }
    }

    /// <summary>The run record, or null.</summary>
    public RunRecord? GetRun(string runId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var cmd = Command("SELECT run_id, config_sha256, status, started_utc, finished_utc, resume_count FROM runs WHERE run_id = $a", null, runId);
            using var r = cmd.ExecuteReader();
            return r.Read()
                ? new RunRecord(r.GetString(0), r.GetString(1), r.GetString(2) == "finished",
                    DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture),
                    r.IsDBNull(4) ? null : DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture),
                    r.GetInt32(5))
                : null;
        }
    }

    /// <inheritdoc />
    /// <summary>Commits every pending write (their waits complete), then closes the store.</summary>
    public void Dispose()
    {
        lock (_queueGate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            Monitor.Pulse(_queueGate);
        }

        _writer.Join();
        lock (_readGate)
        {
            lock (_gate)
            {
                _disposed = true;
                _get.Dispose();
                _exists.Dispose();
                _begin.Dispose();
                _commit.Dispose();
                _put.Dispose();
                _link.Dispose();
                _readConnection.Dispose();
                _connection.Dispose();
            }
        }
    }

    private string? FindUnfinishedLocked(string configSha256, SqliteTransaction? tx)
    {
        using var cmd = Command("SELECT run_id FROM runs WHERE config_sha256 = $a AND status = 'running' ORDER BY started_utc DESC, rowid DESC LIMIT 1", tx, configSha256);
        return cmd.ExecuteScalar() as string;
    }

    private T Scalar<T>(string sql, params object[] args)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var cmd = Command(sql, null, args);
            return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx, params object[] args)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        for (var i = 0; i < args.Length; i++)
        {
            cmd.Parameters.AddWithValue("$" + (char)('a' + i), args[i]);
        }

        return cmd;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static void Migrate(SqliteConnection connection, string path)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InputException($"the run store has schema version {version}; this ValidationLab reads up to {SchemaVersion} (upgrade ValidationLab or use another --store)", path);
        }

        if (version == SchemaVersion)
        {
            return;
        }

        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;

        // Version 1: response cache, runs, and which answers each run used.
        cmd.CommandText = """
            CREATE TABLE IF NOT EXISTS responses (
                cache_key TEXT NOT NULL PRIMARY KEY,
                runner TEXT NOT NULL,
                model TEXT NOT NULL,
                source TEXT,
                fingerprint TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT,
                loglikelihoods BLOB,
                probability REAL,
                latency_ms REAL NOT NULL,
                prompt_tokens INTEGER,
                completion_tokens INTEGER,
                cost TEXT,
                method TEXT,
                created_utc TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS runs (
                run_id TEXT NOT NULL PRIMARY KEY,
                config_sha256 TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('running', 'finished')),
                started_utc TEXT NOT NULL,
                finished_utc TEXT,
                resume_count INTEGER NOT NULL DEFAULT 0,
                last_resumed_utc TEXT
            );
            CREATE INDEX IF NOT EXISTS runs_by_config ON runs (config_sha256, status, started_utc);
            CREATE TABLE IF NOT EXISTS run_responses (
                run_id TEXT NOT NULL REFERENCES runs (run_id),
                suite TEXT NOT NULL,
                item_id TEXT NOT NULL,
                request_id TEXT NOT NULL,
                cache_key TEXT NOT NULL,
                PRIMARY KEY (run_id, suite, item_id, request_id)
            );
            PRAGMA user_version = 1;
            """;
        cmd.ExecuteNonQuery();
        tx.Commit();
    }
}

/// <summary>One run as the store knows it.</summary>
public sealed record RunRecord(string RunId, string ConfigSha256, bool Finished, DateTimeOffset StartedUtc, DateTimeOffset? FinishedUtc, int ResumeCount);
