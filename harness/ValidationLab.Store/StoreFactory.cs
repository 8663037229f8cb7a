using ValidationLab.Store.Postgres;
using ValidationLab.Store.Sqlite;

namespace ValidationLab.Store;

/// <summary>Opens the run store a spec names (see <see cref="StoreSpec"/>): the one place that chooses the backend.</summary>
public static class StoreFactory
{
    /// <summary>
    /// Opens (creating or migrating) the store <paramref name="spec"/> names: a file path (SQLite; null means
    /// <c>.validationlab/store.db</c> under the current folder) or a PostgreSQL connection string. Bad input, an
    /// unreachable server, refused credentials or a store newer than this code are an
    /// <see cref="Errors.InputException"/> naming the store (never the password).
    /// </summary>
    public static IRunStore Open(string? spec) => Open(StoreSpec.Parse(spec, Directory.GetCurrentDirectory()));

    /// <inheritdoc cref="Open(string)"/>
    public static IRunStore Open(StoreSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Kind switch
        {
            StoreKind.Sqlite => SqliteRunStore.Open(spec.FilePath!),
            StoreKind.Postgres => PostgresRunStore.Open(spec),
            _ => throw new ArgumentOutOfRangeException(nameof(spec)),
        };
    }
}
