using Npgsql;

namespace ValidationLab.Store.Tests;

/// <summary>
/// A fresh database on the PostgreSQL test server (<see cref="TestPostgres"/>) for one test, dropped (with its
/// connections) on dispose, so every test starts from an empty store whatever the others did.
/// </summary>
internal sealed class PostgresTestDatabase : IDisposable
{
    private readonly string _admin;

    public PostgresTestDatabase()
    {
        _admin = TestPostgres.ConnectionString ?? throw new InvalidOperationException(TestPostgres.FailureMessage);
        Name = "vl_test_" + Guid.NewGuid().ToString("N")[..16];
        Execute($"CREATE DATABASE {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = Name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>Npgsql keyword form, with the password.</summary>
    public string ConnectionString { get; }

    /// <summary>The password of the test server's user.</summary>
    public string Password => new NpgsqlConnectionStringBuilder(_admin).Password ?? "";

    /// <summary>The same database as a postgres:// URI.</summary>
    public string Uri
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"postgresql://{System.Uri.EscapeDataString(b.Username!)}:{System.Uri.EscapeDataString(b.Password ?? "")}@{b.Host}:{b.Port}/{b.Database}";
        }
    }

    /// <summary>Runs SQL in the test database (outside the store: tampering, old schemas).</summary>
    public void Sql(string sql)
    {
        using var c = new NpgsqlConnection(ConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    public object? Scalar(string sql)
    {
        using var c = new NpgsqlConnection(ConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        return cmd.ExecuteScalar();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var c = new NpgsqlConnection(_admin);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }
}
