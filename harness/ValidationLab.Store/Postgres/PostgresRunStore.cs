using System.Net.Sockets;
using Npgsql;
using ValidationLab.Errors;

namespace ValidationLab.Store.Postgres;

/// <summary>
/// The run store in a PostgreSQL database (Npgsql, pooled connections): the response cache
/// (<see cref="PostgresResponseCache"/>, group commit) and the run registry (<see cref="PostgresRunRegistry"/>).
/// Many processes on many machines may share one database: shards of one run write into it at the same time.
/// </summary>
public sealed class PostgresRunStore : IRunStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresResponseCache _responses;

    private PostgresRunStore(NpgsqlDataSource dataSource, string description)
    {
        _dataSource = dataSource;
        Description = description;
        _responses = new PostgresResponseCache(dataSource, description);
        Registry = new PostgresRunRegistry(dataSource, description);
    }

    /// <inheritdoc />
    public IResponseCache Responses => _responses;

    /// <inheritdoc />
    public IRunRegistry Registry { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public int SchemaVersion => StoreSchema.Current;

    /// <summary>
    /// Connects, then creates or migrates the schema. An unreachable server, refused credentials, a missing
    /// database or a schema newer than this code: an <see cref="InputException"/> naming the store (never the password).
    /// </summary>
    public static PostgresRunStore Open(StoreSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var builder = new NpgsqlConnectionStringBuilder(spec.ConnectionString);
        var dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            using (var connection = dataSource.OpenConnection())
            {
                PostgresSchema.Migrate(connection, spec.Description);
            }

            return new PostgresRunStore(dataSource, spec.Description);
        }
        catch (Exception e) when (Explain(e, spec.Description, builder.Password) is { } input)
        {
            dataSource.Dispose();
            throw input;
        }
        catch
        {
            dataSource.Dispose();
            throw;
        }
    }

    /// <summary>Commits every pending cache write (their waits complete), then closes the pool.</summary>
    public void Dispose()
    {
        _responses.Dispose();
        _dataSource.Dispose();
    }

    /// <summary>A user-facing message for a failure to reach or use the server; null for anything else (a bug).</summary>
    internal static InputException? Explain(Exception e, string description, string? password)
    {
        if (e is InputException input)
        {
            return input;
        }

        var reason = e switch
        {
            PostgresException { SqlState: "28P01" or "28000" } => "the server refused the credentials (wrong user name or password)",
            PostgresException { SqlState: "3D000" } => "the database does not exist",
            PostgresException { SqlState: "42501" } p => $"permission denied: {p.MessageText}",
            PostgresException { SqlState: "57P03" } => "the server is starting up or shutting down",
            PostgresException { SqlState: "53300" } => "the server has no free connection slot",
            NpgsqlException { InnerException: SocketException s } => $"cannot reach the server ({s.SocketErrorCode}: {s.Message})",
            NpgsqlException { InnerException: TimeoutException } => "the server did not answer in time",
            NpgsqlException { InnerException: IOException io } => $"the connection to the server failed ({io.Message})",
            SocketException s => $"cannot reach the server ({s.SocketErrorCode}: {s.Message})",
            TimeoutException => "the server did not answer in time",
            NpgsqlException n => n.Message,
            _ => null,
        };
        return reason is null
            ? null
            : new InputException($"cannot use the run store {description}: {StoreSpec.Scrub(reason, password)}", field: "--store", inner: e);
    }
}
