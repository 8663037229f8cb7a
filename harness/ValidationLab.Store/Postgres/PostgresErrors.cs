using Npgsql;

namespace ValidationLab.Store.Postgres;

/// <summary>
/// Turns a lost or refused server into <see cref="StoreUnavailableException"/> naming the store (never the password),
/// so that a run can stop with a clear message instead of a driver's stack trace.
/// </summary>
internal static class PostgresErrors
{
    public static T Use<T>(Func<T> action, string description)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new StoreUnavailableException($"the run store {description} is unavailable: {Reason(e)}", e);
        }
    }

    /// <summary>The server is gone, unreachable, shutting down or out of connections (not: a bad statement, a constraint).</summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || p.SqlState.StartsWith("57P", StringComparison.Ordinal) // admin shutdown, crash shutdown, cannot connect now
            || p.SqlState == "53300", // too many connections
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,

        // Not a bare IOException: a caller's callback (the sign-off mirror) may throw one, and it is not the server's.
        _ => false,
    };

    private static string Reason(Exception e) => e switch
    {
        PostgresException p => $"{p.SqlState}: {p.MessageText}",
        { InnerException: EndOfStreamException } => "the server closed the connection",
        { InnerException: System.Net.Sockets.SocketException s } => $"cannot reach the server ({s.SocketErrorCode}: {s.Message})",
        { InnerException: TimeoutException } => "the server did not answer in time",
        { InnerException: IOException io } => $"the connection to the server failed ({io.Message})",
        _ => e.Message,
    };
}
