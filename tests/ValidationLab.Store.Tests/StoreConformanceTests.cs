using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store.Tests;

/// <summary>
/// The behaviour every run store backend must have, declared once and run by each backend's subclass
/// (<see cref="SqliteConformanceTests"/>, <see cref="PostgresConformanceTests"/>). Each test gets an empty store;
/// <see cref="Open"/> opens another instance of the same store (a second process, as far as the store can tell).
/// The concerns are in partial files: cache, runs, registry, sign-offs, schema and concurrency.
/// </summary>
public abstract partial class StoreConformanceTests : IDisposable
{
    protected static readonly RunnerIdentity Identity = new() { Runner = "openai", Model = "m", Source = "http://x/v1", Fingerprint = "f" };

    /// <summary>Opens the store under test (a new instance each call, all on the same database).</summary>
    protected abstract IRunStore Open();

    /// <summary>Runs SQL directly on the store's database, outside the store (tampering, inspection).</summary>
    protected abstract void Sql(string sql);

    protected abstract object? Scalar(string sql);

    /// <summary>Creates the store as ValidationLab of schema <paramref name="version"/> (1 or 2) left it, with one answer, one run, and (v2) one sign-off.</summary>
    protected abstract void CreateOldStore(int version);

    /// <summary>Marks the store as written by schema <paramref name="version"/>.</summary>
    protected abstract void SetSchemaVersion(int version);

    /// <summary>The schema version the database records.</summary>
    protected abstract int StoredSchemaVersion();

    /// <summary>Makes the database refuse to store the answer with this key (a row-level failure inside a batch).</summary>
    protected abstract void PoisonResponse(string key);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    protected static GenerateRequest Request(int i) => new()
    {
        Suite = "s",
        ItemId = "i" + i,
        Messages = [new ChatMessage("user", "Question " + i)],
    };

    protected static ModelResponse Answer(int i, string text = "answer ") => new() { Suite = "s", ItemId = "i" + i, Text = text + i, LatencyMs = i };

    protected static Task Put(IResponseCache cache, int i, string? runId = null, string text = "answer ", CancellationToken ct = default)
    {
        var request = Request(i);
        var (key, hash) = CacheKeys.Compute(Identity, request);
        return cache.PutResponseAsync(key, hash, Identity, request, Answer(i, text), runId, ct);
    }

    protected static SignoffRow Signoff(string run, long seq, string prev) =>
        new(run, seq, "2026-12-03T10:00:00Z", "Dr Ada Lovelace", "clinical_reviewer", "approve", "meaning", "comment",
            null, "results", null, "gate", "policy", prev, $"hash-{run}-{seq}");
}
