using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using ValidationLab.Requests;
using ValidationLab.Runners;
using static ValidationLab.Store.Sqlite.SqliteRaw;

namespace ValidationLab.Store.Sqlite;

/// <summary>
/// The SQLite response cache. Writes go through the group-commit writer (<see cref="GroupCommitter{T}"/>): one
/// <c>BEGIN IMMEDIATE … COMMIT</c> per batch on the store's write connection (a SQLite commit costs tens of
/// microseconds whatever it holds, so concurrent answers share one). Lookups use a second connection (WAL: readers
/// never wait for the writer). The hot statements go straight to SQLite (bind, step, reset): Microsoft.Data.Sqlite's
/// command layer costs about as much per row as the insert itself. Thread-safe.
/// </summary>
internal sealed class SqliteResponseCache : IResponseCache, ISpoolTarget, IDisposable
{
    private readonly SqliteWriteConnection _db;
    private readonly SqliteConnection _readConnection;
    private readonly Lock _readGate = new();
    private readonly sqlite3_stmt _get;
    private readonly sqlite3_stmt _exists;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _put;
    private readonly sqlite3_stmt _link;
    private readonly GroupCommitter<CacheWrite> _writer;
    private readonly Action<object?[]?, object?[]?> _stepRows;
    private bool _disposed;

    public SqliteResponseCache(SqliteWriteConnection db, SqliteConnection readConnection)
    {
        _db = db;
        _readConnection = readConnection;
        _get = Prepare(_readConnection, """
            SELECT text, loglikelihoods, probability, latency_ms, prompt_tokens, completion_tokens, cost, method
            FROM responses WHERE cache_key = ?1
            """);
        _exists = Prepare(_readConnection, "SELECT 1 FROM responses WHERE cache_key = ?1");
        _begin = Prepare(db.Connection, "BEGIN IMMEDIATE");
        _commit = Prepare(db.Connection, "COMMIT");
        _put = Prepare(db.Connection, $"INSERT OR IGNORE INTO responses ({CacheRows.ResponseColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
        _link = Prepare(db.Connection, $"INSERT OR REPLACE INTO run_responses ({CacheRows.LinkColumns}) VALUES (?1, ?2, ?3, ?4, ?5)");
        _stepRows = (row, link) =>
        {
            if (row is not null)
            {
                Step(_put, row, _db.Connection);
            }

            if (link is not null)
            {
                Step(_link, link, _db.Connection);
            }
        };
        _writer = new GroupCommitter<CacheWrite>(WriteInTransaction, typeof(SqliteRunStore));
    }

    /// <inheritdoc />
    public bool Contains(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_readGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteRunStore));
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

    /// <inheritdoc />
    public bool TryGetResponse(string key, ModelRequest request, out ModelResponse response)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        lock (_readGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteRunStore));
            var q = _get;
            try
            {
                Check(raw.sqlite3_bind_text(q, 1, key), _readConnection);
                if (!Row(q, _readConnection))
                {
                    response = null!;
                    return false;
                }

                response = CacheRows.Answer(
                    request,
                    IsNull(q, 0) ? null : raw.sqlite3_column_text(q, 0).utf8_to_string(),
                    raw.sqlite3_column_blob(q, 1),
                    !IsNull(q, 1),
                    IsNull(q, 2) ? null : raw.sqlite3_column_double(q, 2),
                    raw.sqlite3_column_double(q, 3),
                    IsNull(q, 4) ? null : raw.sqlite3_column_int(q, 4),
                    IsNull(q, 5) ? null : raw.sqlite3_column_int(q, 5),
                    IsNull(q, 6) ? null : raw.sqlite3_column_text(q, 6).utf8_to_string(),
                    IsNull(q, 7) ? null : raw.sqlite3_column_text(q, 7).utf8_to_string());
                return true;
            }
            finally
            {
                raw.sqlite3_reset(q);
            }
        }
    }

    /// <inheritdoc />
    public Task PutResponseAsync(string key, string? requestHash, RunnerIdentity identity, ModelRequest request, ModelResponse response, string? runId, CancellationToken cancellationToken) =>
        CacheRows.Put(_writer, key, requestHash, identity, request, response, runId, cancellationToken);

    /// <inheritdoc />
    public Task LinkResponseAsync(string runId, ModelRequest request, string key, CancellationToken cancellationToken) =>
        CacheRows.Link(_writer, runId, request, key, cancellationToken);

    /// <inheritdoc />
    Task ISpoolTarget.WriteSpooledAsync(CacheWrite write) => _writer.Enqueue(write, CancellationToken.None);

    /// <inheritdoc />
    public void Flush() => _writer.Flush();

    /// <inheritdoc />
    public long CountAnswered(string runId)
    {
        Flush();
        return _db.Scalar<long>("SELECT COUNT(*) FROM run_responses WHERE run_id = $a", runId);
    }

    /// <inheritdoc />
    public long CachedResponseCount
    {
        get
        {
            Flush();
            return _db.Scalar<long>("SELECT COUNT(*) FROM responses");
        }
    }

    /// <summary>Commits every pending write (their waits complete), then releases the statements and the read connection.</summary>
    public void Dispose()
    {
        _writer.Close();
        lock (_readGate)
        {
            lock (_db.Gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _get.Dispose();
                _exists.Dispose();
                _begin.Dispose();
                _commit.Dispose();
                _put.Dispose();
                _link.Dispose();
                _readConnection.Dispose();
            }
        }
    }

    /// <summary>Every row of the batch in one transaction, under the write connection's lock (rolled back on any error).</summary>
    private void WriteInTransaction(List<GroupCommitter<CacheWrite>.Pending> batch)
    {
        lock (_db.Gate)
        {
            var connection = _db.Connection;
            Step(_begin, [], connection);
            try
            {
                foreach (var p in batch)
                {
                    p.Row?.ForEachRow(_stepRows);
                }

                Step(_commit, [], connection);
            }
            catch
            {
                if (raw.sqlite3_get_autocommit(connection.Handle) == 0)
                {
                    raw.sqlite3_exec(connection.Handle, "ROLLBACK");
                }

                throw;
            }
        }
    }
}
