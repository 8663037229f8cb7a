using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ValidationLab.Store.Sqlite;

/// <summary>The raw SQLite statement helpers (prepare, bind, step) behind the cache's hot read and write paths.</summary>
internal static class SqliteRaw
{
    public static bool IsNull(sqlite3_stmt stmt, int column) => raw.sqlite3_column_type(stmt, column) == raw.SQLITE_NULL;

    /// <summary>Steps a query: true on a row, false when done; throws on an error.</summary>
    public static bool Row(sqlite3_stmt stmt, SqliteConnection connection)
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

    public static void Check(int rc, SqliteConnection connection) => SqliteException.ThrowExceptionForRC(rc, connection.Handle);

    public static sqlite3_stmt Prepare(SqliteConnection connection, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out var stmt);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        return stmt;
    }

    /// <summary>Binds <paramref name="values"/> (string, byte[], double, int, long, null) to ?1.. and runs the statement once.</summary>
    public static void Step(sqlite3_stmt stmt, object?[] values, SqliteConnection connection)
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
                    long integer => raw.sqlite3_bind_int64(stmt, i + 1, integer),
                    null or DBNull => raw.sqlite3_bind_null(stmt, i + 1),
                    var other => throw new InvalidOperationException($"cannot store a {other.GetType().Name}"),
                };
                SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            }

            var step = raw.sqlite3_step(stmt);
            if (step != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(step, connection.Handle);
            }
        }
        finally
        {
            raw.sqlite3_reset(stmt);
        }
    }
}
