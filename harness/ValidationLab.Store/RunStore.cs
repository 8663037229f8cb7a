using Microsoft.Data.Sqlite;
using SQLitePCL;
using ValidationLab.Errors;

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
public sealed partial class RunStore : IRunStore, IResponseCache, IRunRegistry
{
    /// <summary>The schema this code writes (SQLite <c>user_version</c>); older stores are migrated on open.</summary>
    private const int CodeSchemaVersion = StoreSchema.Current;

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

    /// <inheritdoc />
    public IResponseCache Responses => this;

    /// <inheritdoc />
    public IRunRegistry Registry => this;

    /// <inheritdoc />
    public string Description => FilePath;

    /// <inheritdoc />
    public int SchemaVersion => CodeSchemaVersion;

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

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
