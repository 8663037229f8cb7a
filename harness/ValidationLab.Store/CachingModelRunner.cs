using System.Collections.Concurrent;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store;

/// <summary>
/// Serves answers from a <see cref="IResponseCache"/> and stores each successful answer of the inner
/// runner the moment it arrives: an answer is returned only once it is committed (returned ⇒ durable, see
/// <see cref="IResponseCache.PutResponseAsync"/>), so a crash never loses an answer that was paid for and handed out. Identical requests in
/// flight at the same time are sent once. Errors pass through uncached. When built with a run id, every answer used
/// is linked to that run (for resume progress and the registry): a fresh answer in the same transaction as the answer,
/// a cached one without waiting for its commit (a link lost to a crash costs no request: the answer stays cached).
/// Safe under concurrent calls. Owns (disposes) the inner runner, not the store.
/// <para>
/// When the store becomes unavailable mid-run (<see cref="StoreUnavailableException"/>: a PostgreSQL server gone),
/// every later request fails with the error kind <see cref="StoreUnavailableKind"/> and nothing more is sent to the
/// model. An answer that arrives then (its request was already sent) is kept in the <see cref="ResponseSpool"/> when
/// one is given (durable there before it is handed out, written into the store by the next run that opens it, see
/// <see cref="ResponseSpool.Drain"/>), so it is never asked twice; without a spool, or if the spool cannot be written,
/// it is not handed out and fails like the rest. <c>--resume</c> then asks only what is neither stored nor spooled
/// (<see cref="StoreFailure"/>).
/// </para>
/// </summary>
public sealed class CachingModelRunner : IModelRunner, IRunnerStatistics
{
    private readonly IModelRunner _inner;
    private readonly IResponseCache _store;
    private readonly string? _runId;
    private readonly ResponseSpool? _spool;
    private readonly ConcurrentDictionary<string, Task<ModelResponse?>> _inFlight = new(StringComparer.Ordinal);
    private long _hits;
    private long _misses;
    private StoreUnavailableException? _storeFailure;

    /// <summary>The error kind of a request failed because the store is unavailable.</summary>
    public const string StoreUnavailableKind = "store_unavailable";

    /// <param name="spool">Where answers go when the store is lost mid-run (not owned: the caller disposes it); null: they are not kept.</param>
    public CachingModelRunner(IModelRunner inner, IResponseCache store, string? runId = null, ResponseSpool? spool = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(store);
        _inner = inner;
        _store = store;
        _runId = runId;
        _spool = spool;
    }

    /// <inheritdoc />
    public RunnerIdentity Identity => _inner.Identity;

    /// <inheritdoc />
    public IReadOnlySet<RequestKind> SupportedKinds => _inner.SupportedKinds;

    /// <inheritdoc />
    public int MaxConcurrency => _inner.MaxConcurrency;

    /// <summary>The wrapped runner.</summary>
    public IModelRunner Inner => _inner;

    /// <summary>Requests answered from the cache (or by an identical request in flight).</summary>
    public long CacheHits => Interlocked.Read(ref _hits);

    /// <summary>Requests passed to the inner runner.</summary>
    public long CacheMisses => Interlocked.Read(ref _misses);

    /// <summary>The first loss of the store during the run, or null: from then on no request is sent.</summary>
    public StoreUnavailableException? StoreFailure => Volatile.Read(ref _storeFailure);

    /// <summary>Passes only the requests the cache cannot answer to the inner runner (so a fully cached plan sends no probe).</summary>
    public ValueTask<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<ModelRequest> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var identity = Identity;
        IReadOnlyList<ModelRequest> misses;
        try
        {
            // Positions, not requests: a plan built on demand is read again for the misses, never held (PlanMisses).
            misses = PlanMisses.Of(plan, r => _store.Contains(CacheKeys.CacheKey(identity, r)));
        }
        catch (StoreUnavailableException e)
        {
            // Before any model call: the store named by the user cannot be used, and nothing was written.
            throw new Errors.InputException(e.Message, field: "--store", inner: e);
        }

        return _inner.PrepareAsync(misses, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ModelResponse> ExecuteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (StoreFailure is { } lost)
        {
            return Unstored(request, lost);
        }

        var (key, requestHash) = CacheKeys.Compute(Identity, request);

        // Register first, then look up once as the only request in flight for this key: nothing else can store its
        // answer between the lookup and the send (one lookup per miss, not two).
        var mine = new TaskCompletionSource<ModelResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var leader = _inFlight.GetOrAdd(key, mine.Task);
        if (leader != mine.Task)
        {
            // An identical request is on its way: share its answer; if it failed, try ourselves.
            var shared = await leader.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (shared is { IsError: false })
            {
                Interlocked.Increment(ref _hits);
                Link(key, request);
                return shared with { Suite = request.Suite, ItemId = request.ItemId, RequestId = request.RequestId };
            }

            if (StoreFailure is { } gone)
            {
                return Unstored(request, gone);
            }

            try
            {
                return await SendAsync(key, requestHash, request, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreUnavailableException e)
            {
                return Unstored(request, e);
            }
        }

        ModelResponse? result = null;
        try
        {
            if (TryHit(key, request, out var cached))
            {
                result = cached;
                return cached;
            }

            result = await SendAsync(key, requestHash, request, cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (StoreUnavailableException e)
        {
            return Unstored(request, e);
        }
        finally
        {
            mine.SetResult(result);
            _inFlight.TryRemove(new KeyValuePair<string, Task<ModelResponse?>>(key, mine.Task));
        }
    }

    /// <inheritdoc />
    public RunnerCounters GetCounters()
    {
        var own = new RunnerCounters { CacheHits = CacheHits };
        return _inner is IRunnerStatistics s ? s.GetCounters().Add(own) : own;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private async Task<ModelResponse> SendAsync(string key, string requestHash, ModelRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _misses);
        var response = await _inner.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsError)
        {
            // Durable before it is handed out. The wait is not cancelled: the answer is paid for, so it is kept.
            try
            {
                await _store.PutResponseAsync(key, requestHash, Identity, request, response, _runId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (StoreUnavailableException lost) when (_spool is not null)
            {
                if (!TrySpool(key, requestHash, request, response))
                {
                    throw;
                }

                // Kept, so handed out; the run still stops asking (the store is gone), and the next run drains the spool.
                Interlocked.CompareExchange(ref _storeFailure, lost, null);
            }
        }

        return response;
    }

    private bool TrySpool(string key, string requestHash, ModelRequest request, ModelResponse response)
    {
        try
        {
            _spool!.Append(key, requestHash, Identity, request, response, _runId);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not kept: fails like a request after the loss (asked again by --resume).
            return false;
        }
    }

    /// <summary>Records the store's loss (the first one is kept) and fails <paramref name="request"/> with it.</summary>
    private ModelResponse Unstored(ModelRequest request, StoreUnavailableException e)
    {
        Interlocked.CompareExchange(ref _storeFailure, e, null);
        return ModelResponse.Failed(request, StoreUnavailableKind, StoreFailure!.Message);
    }

    private bool TryHit(string key, ModelRequest request, out ModelResponse response)
    {
        if (_store.TryGetResponse(key, request, out response))
        {
            Interlocked.Increment(ref _hits);
            Link(key, request);
            return true;
        }

        return false;
    }

    private void Link(string key, ModelRequest request)
    {
        if (_runId is not null)
        {
            // Committed with the next group; a failure leaves only a missing link (the answer stays cached).
            _ = _store.LinkResponseAsync(_runId, request, key, CancellationToken.None).ContinueWith(
                static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
