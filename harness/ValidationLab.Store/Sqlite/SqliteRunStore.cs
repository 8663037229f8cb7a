using Microsoft.Data.Sqlite;
using ValidationLab.Errors;

namespace ValidationLab.Store.Sqlite;

/// <summary>
/// The run store in one embedded SQLite file (WAL mode): the response cache (<see cref="SqliteResponseCache"/>, group
/// commit on a writer thread, lookups on a second connection) and the run registry (<see cref="SqliteRunRegistry"/>),
/// sharing one write connection. Several processes may open the same file: SQLite's write lock serialises their
/// transactions (busy timeout 10 s).
/// </summary>
public sealed class SqliteRunStore : IRunStore
{
    private readonly SqliteWriteConnection _db;
    private readonly SqliteResponseCache _responses;

    private SqliteRunStore(string path, SqliteWriteConnection db, SqliteConnection readConnection)
    {
        FilePath = path;
        _db = db;
        _responses = new SqliteResponseCache(db, readConnection);
        Registry = new SqliteRunRegistry(db, path);
    }

    /// <summary>The store file (full path).</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public IResponseCache Responses => _responses;

    /// <inheritdoc />
    public IRunRegistry Registry { get; }

    /// <inheritdoc />
    public string Description => FilePath;

    /// <inheritdoc />
    public int SchemaVersion => StoreSchema.Current;

    /// <summary>Opens (creating or migrating) the store at <paramref name="path"/>.</summary>
    public static SqliteRunStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            connection.Open();
            SqliteWriteConnection.Execute(connection, "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");

            // Checkpoint every 10,000 WAL pages (~40 MB) rather than SQLite's 1,000: answers land on random pages of the
            // key index, and a longer interval copies each hot page back once instead of many times (about +40%
            // answers/s on the cache-miss benchmark). Durability is unchanged: a commit is in the WAL either way.
            SqliteWriteConnection.Execute(connection, "PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864;");
            SqliteSchema.Migrate(connection, full);
            var reader = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = full,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
            try
            {
                reader.Open();
                SqliteWriteConnection.Execute(reader, "PRAGMA busy_timeout = 10000;");
                return new SqliteRunStore(full, new SqliteWriteConnection(connection), reader);
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            connection.Dispose();
            throw new InputException($"cannot create the run store's folder: {e.Message}", full, inner: e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Commits every pending cache write (their waits complete), then closes the store.</summary>
    public void Dispose()
    {
        _responses.Dispose();
        _db.Dispose();
    }
}
