namespace ValidationLab.Store;

/// <summary>
/// An open run store: the response cache and the run registry of one database (a SQLite file or a PostgreSQL
/// database), opened by <see cref="StoreFactory.Open(string)"/>. Disposing commits every pending cache write, then
/// closes the store.
/// </summary>
public interface IRunStore : IDisposable
{
    IResponseCache Responses { get; }

    IRunRegistry Registry { get; }

    /// <summary>The store named for messages: the file, or "postgres://user@host:port/database"; never a password.</summary>
    string Description { get; }

    /// <summary>The schema version this store is at (the code's, once opened).</summary>
    int SchemaVersion { get; }
}
