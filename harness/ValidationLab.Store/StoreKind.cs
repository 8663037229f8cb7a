namespace ValidationLab.Store;

/// <summary>The database behind a run store.</summary>
public enum StoreKind
{
    /// <summary>One embedded SQLite file (the default, <c>.validationlab/store.db</c>).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database, named by a connection string.</summary>
    Postgres,
}
