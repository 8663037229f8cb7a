using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store;

/// <summary>
/// The content-addressed response cache (keys from <see cref="CacheKeys"/>). Errors are never cached; the first
/// answer stored under a key wins. A write is durable (survives a process crash: Ctrl-C, kill -9) as soon as its task
/// completes: "returned ⇒ durable". Thread-safe; several processes may share one store.
/// </summary>
public interface IResponseCache
{
    /// <summary>True when an answer is stored under <paramref name="key"/>.</summary>
    bool Contains(string key);

    /// <summary>The stored answer for <paramref name="key"/>, addressed to <paramref name="request"/>'s suite, item and request ids.</summary>
    bool TryGetResponse(string key, ModelRequest request, out ModelResponse response);

    /// <summary>
    /// Stores a successful answer under <paramref name="key"/> (and, with <paramref name="runId"/>, links it to that
    /// run in the same transaction); the task completes once both are committed. A failed response is not stored
    /// (only its link, when a run is given). Cancelling stops the wait, not the write.
    /// </summary>
    /// <param name="requestHash">The request's <see cref="RequestHasher.Hash"/> when the caller has it (see <see cref="CacheKeys.Compute"/>); computed otherwise.</param>
    Task PutResponseAsync(string key, string? requestHash, RunnerIdentity identity, ModelRequest request, ModelResponse response, string? runId, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="runId"/> got its answer for the request from the entry <paramref name="key"/>; completes once committed.</summary>
    Task LinkResponseAsync(string runId, ModelRequest request, string key, CancellationToken cancellationToken);

    /// <summary>Returns once every write enqueued before the call is committed (or has failed).</summary>
    void Flush();

    /// <summary>How many requests of <paramref name="runId"/> have a stored answer (progress shown on resume).</summary>
    long CountAnswered(string runId);

    /// <summary>How many answers the cache holds.</summary>
    long CachedResponseCount { get; }
}
