using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store;

/// <summary>Blocking forms of the <see cref="IResponseCache"/> writes, for tools and tests.</summary>
public static class ResponseCacheExtensions
{
    /// <summary>Stores a successful answer and returns once it is committed (see <see cref="IResponseCache.PutResponseAsync"/>).</summary>
    public static void PutResponse(this IResponseCache cache, string key, RunnerIdentity identity, ModelRequest request, ModelResponse response)
    {
        ArgumentNullException.ThrowIfNull(cache);
        cache.PutResponseAsync(key, null, identity, request, response, null, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Links an answer to a run and returns once the link is committed.</summary>
    public static void LinkResponse(this IResponseCache cache, string runId, ModelRequest request, string key)
    {
        ArgumentNullException.ThrowIfNull(cache);
        cache.LinkResponseAsync(runId, request, key, CancellationToken.None).GetAwaiter().GetResult();
    }
}
