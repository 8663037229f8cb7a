using ValidationLab.Errors;

namespace ValidationLab.Store;

/// <summary>
/// The store schema's version, shared by both backends (SQLite <c>PRAGMA user_version</c>, PostgreSQL table
/// <c>schema_version</c>): 1 response cache and runs, 2 sign-offs, 3 the run registry, 4 sharded runs (shards, their
/// items and files), 5 run files as chunks. A store at an older version is migrated on open; a newer one is refused with both versions named.
/// </summary>
public static class StoreSchema
{
    /// <summary>The version this code writes.</summary>
    public const int Current = 5;

    /// <summary>The refusal of a store written by a newer ValidationLab.</summary>
    internal static InputException TooNew(int found, string store) =>
        new($"the run store {store} has schema version {found}; this ValidationLab reads schema versions up to {Current} (upgrade ValidationLab or use another --store)", field: "--store");
}
