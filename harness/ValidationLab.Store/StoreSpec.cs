using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;
using ValidationLab.Errors;

namespace ValidationLab.Store;

/// <summary>
/// Where a run store is, as the user named it (<c>--store</c>): a file path (SQLite) or a PostgreSQL connection string,
/// either a URI (<c>postgres://user:password@host:port/database?sslmode=...</c>, also <c>postgresql://</c>) or the
/// Npgsql keyword form (<c>Host=...;Username=...;Database=...</c>). Its text form (<see cref="ToString"/>,
/// <see cref="Description"/>) never holds the password.
/// </summary>
public sealed partial class StoreSpec
{
    private readonly string _connectionString;

    private StoreSpec(StoreKind kind, string location, string description)
    {
        Kind = kind;
        _connectionString = location;
        Description = description;
    }

    public StoreKind Kind { get; }

    /// <summary>The SQLite file's full path; null for PostgreSQL.</summary>
    public string? FilePath => Kind == StoreKind.Sqlite ? _connectionString : null;

    /// <summary>The store named for messages: the file, or <c>postgres://user@host:port/database</c>.</summary>
    public string Description { get; }

    /// <summary>True when the store is already there: the SQLite file exists; a PostgreSQL store is assumed to (opening tells).</summary>
    public bool Exists => Kind == StoreKind.Postgres || File.Exists(_connectionString);

    /// <summary>The Npgsql connection string (with its password): for the PostgreSQL backend only, never for a message.</summary>
    internal string ConnectionString => Kind == StoreKind.Postgres ? _connectionString : throw new InvalidOperationException("not a PostgreSQL store");

    /// <summary><c>.validationlab/store.db</c> under <paramref name="workingDirectory"/>.</summary>
    public static string DefaultPath(string workingDirectory) => Path.Combine(workingDirectory, ".validationlab", "store.db");

    /// <summary>True when <paramref name="spec"/> is a PostgreSQL connection string rather than a file path.</summary>
    public static bool IsConnectionString(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return IsUri(spec) || KeywordForm().IsMatch(spec);
    }

    /// <summary>
    /// Reads <paramref name="given"/> (null: the default file under <paramref name="workingDirectory"/>); a relative
    /// file path is taken from <paramref name="workingDirectory"/>. A malformed connection string is an
    /// <see cref="InputException"/> naming what is wrong (never the password).
    /// </summary>
    public static StoreSpec Parse(string? given, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(workingDirectory);
        if (given is null)
        {
            return Sqlite(DefaultPath(workingDirectory));
        }

        if (string.IsNullOrWhiteSpace(given))
        {
            throw new InputException("the run store is empty: give a file path or a PostgreSQL connection string", field: "--store");
        }

        if (!IsConnectionString(given))
        {
            return Sqlite(Path.GetFullPath(given, workingDirectory));
        }

        var builder = IsUri(given) ? FromUri(given) : FromKeywords(given);
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new InputException($"the PostgreSQL connection string {Describe(builder)} names no host", field: "--store");
        }

        // Pooling keeps the several short connections a store opens (cache reads, writer, registry) cheap.
        builder.ApplicationName ??= "validationlab";
        return new StoreSpec(StoreKind.Postgres, builder.ConnectionString, Describe(builder));
    }

    /// <summary>The password-free description (see <see cref="Description"/>).</summary>
    public override string ToString() => Description;

    private static StoreSpec Sqlite(string fullPath) => new(StoreKind.Sqlite, fullPath, fullPath);

    private static bool IsUri(string spec) =>
        spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>"Keyword=" at the start (letters and spaces only): a file path has a separator or a dot before any '='.</summary>
    [GeneratedRegex(@"^\s*[A-Za-z][A-Za-z ]*\s*=")]
    private static partial Regex KeywordForm();

    internal static string Describe(NpgsqlConnectionStringBuilder b) =>
        $"postgres://{(string.IsNullOrEmpty(b.Username) ? "" : Uri.EscapeDataString(b.Username) + "@")}{b.Host}:{b.Port}/{b.Database ?? b.Username ?? ""}";

    private static NpgsqlConnectionStringBuilder FromKeywords(string text)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new InputException($"the PostgreSQL connection string is malformed: {Scrub(e.Message, PasswordIn(text))}", field: "--store");
        }
    }

    /// <summary>postgres://[user[:password]@]host[:port][/database][?key=value&amp;...] (libpq's URI form) as Npgsql keywords.</summary>
    private static NpgsqlConnectionStringBuilder FromUri(string text)
    {
        Uri uri;
        try
        {
            uri = new Uri(text, UriKind.Absolute);
        }
        catch (UriFormatException)
        {
            throw new InputException("the PostgreSQL connection URI is malformed (expected postgres://user:password@host:port/database)", field: "--store");
        }

        var builder = new NpgsqlConnectionStringBuilder();
        var password = "";
        try
        {
            builder.Host = uri.Host.Trim('[', ']');
            if (!uri.IsDefaultPort && uri.Port > 0)
            {
                builder.Port = uri.Port;
            }

            if (uri.UserInfo.Length > 0)
            {
                var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
                builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
                if (colon >= 0)
                {
                    password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
                    builder.Password = password;
                }
            }

            var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
            if (database.Length > 0)
            {
                builder.Database = database;
            }

            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
                builder[LibpqKeyword(key)] = value;
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException or KeyNotFoundException)
        {
            throw new InputException($"the PostgreSQL connection URI is malformed: {Scrub(e.Message, password)}", field: "--store");
        }

        return builder;
    }

    /// <summary>The libpq query keys that differ from Npgsql's (the rest, e.g. sslmode, are the same words).</summary>
    private static string LibpqKeyword(string key) => key.ToLowerInvariant() switch
    {
        "application_name" => "Application Name",
        "connect_timeout" => "Timeout",
        "user" => "Username",
        "dbname" => "Database",
        "target_session_attrs" => "Target Session Attributes",
        _ => key,
    };

    private static string PasswordIn(string keywords)
    {
        try
        {
            var b = new DbConnectionStringBuilder { ConnectionString = keywords };
            foreach (var key in new[] { "password", "pwd", "psw" })
            {
                if (b.TryGetValue(key, out var value) && value is string s && s.Length > 0)
                {
                    return s;
                }
            }
        }
        catch (ArgumentException)
        {
        }

        return "";
    }

    /// <summary>Removes <paramref name="secret"/> from a driver's message (a parse error may quote the value it refused).</summary>
    internal static string Scrub(string message, string? secret) =>
        string.IsNullOrEmpty(secret) ? message : message.Replace(secret, "***", StringComparison.Ordinal);
}
