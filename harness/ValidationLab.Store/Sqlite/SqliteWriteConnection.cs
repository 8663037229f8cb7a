using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ValidationLab.Store.Sqlite;

/// <summary>
/// The store's one write connection and the lock every writer of this process takes (the cache's group-commit writer
/// and the registry). Across processes SQLite's own write lock (BEGIN IMMEDIATE, busy_timeout) serialises writers.
/// </summary>
internal sealed class SqliteWriteConnection(SqliteConnection connection) : IDisposable
{
    public SqliteConnection Connection { get; } = connection;

    public Lock Gate { get; } = new();

    public bool Disposed { get; private set; }

    /// <summary>Under <see cref="Gate"/>: throws when the store is closed.</summary>
    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Disposed, typeof(SqliteRunStore));

    /// <summary>A command with <paramref name="args"/> bound to $a, $b, ...</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? tx, params object?[] args)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        for (var i = 0; i < args.Length; i++)
        {
            cmd.Parameters.AddWithValue("$" + (char)('a' + i), args[i] ?? DBNull.Value);
        }

        return cmd;
    }

    /// <summary>Runs a scalar query under the lock.</summary>
    public T Scalar<T>(string sql, params object?[] args)
    {
        lock (Gate)
        {
            ThrowIfDisposed();
            using var cmd = Command(sql, null, args);
            return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose()
    {
        lock (Gate)
        {
            Disposed = true;
            Connection.Dispose();
        }
    }
}
