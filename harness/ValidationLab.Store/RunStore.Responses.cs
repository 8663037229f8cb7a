using System.Globalization;
using System.Runtime.InteropServices;
using SQLitePCL;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store;

// RunStore: the response cache as callers see it: lookups on the read connection, and writes and run links handed
// to the group-commit writer (RunStore.Writer.cs).
public sealed partial class RunStore
{
    /// <summary>True when an answer is stored under <paramref name="key"/>.</summary>
    public bool Contains(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_readGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                Check(raw.sqlite3_bind_text(_exists, 1, key), _readConnection);
                return Row(_exists, _readConnection);
            }
            finally
            {
                raw.sqlite3_reset(_exists);
            }
        }
    }

    /// <summary>The stored answer for <paramref name="key"/>, addressed to <paramref name="request"/>'s suite, item and request ids.</summary>
    public bool TryGetResponse(string key, ModelRequest request, out ModelResponse response)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        lock (_readGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var q = _get;
            try
            {
                Check(raw.sqlite3_bind_text(q, 1, key), _readConnection);
                if (!Row(q, _readConnection))
                {
                    response = null!;
                    return false;
                }

                response = new ModelResponse
                {
                    Suite = request.Suite,
                    ItemId = request.ItemId,
                    RequestId = request.RequestId,
                    Text = IsNull(q, 0) ? null : raw.sqlite3_column_text(q, 0).utf8_to_string(),
                    LogLikelihoods = IsNull(q, 1) ? null : MemoryMarshal.Cast<byte, double>(raw.sqlite3_column_blob(q, 1)).ToArray(),
                    Probability = IsNull(q, 2) ? null : raw.sqlite3_column_double(q, 2),
                    LatencyMs = raw.sqlite3_column_double(q, 3),
                    Usage = IsNull(q, 4)
                        ? null
                        : new TokenUsage(raw.sqlite3_column_int(q, 4), raw.sqlite3_column_int(q, 5),
                            IsNull(q, 6) ? null : decimal.Parse(raw.sqlite3_column_text(q, 6).utf8_to_string(), CultureInfo.InvariantCulture)),
                    Method = IsNull(q, 7) ? null : raw.sqlite3_column_text(q, 7).utf8_to_string(),
                };
                return true;
            }
            finally
            {
                raw.sqlite3_reset(q);
            }
        }
    }

    /// <summary>
    /// Stores a successful answer under <paramref name="key"/> and returns once it is committed. Failed responses are
    /// ignored (errors are never cached); an existing entry is kept (first answer wins).
    /// </summary>
    public void PutResponse(string key, RunnerIdentity identity, ModelRequest request, ModelResponse response) =>
        PutResponseAsync(key, null, identity, request, response, null, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Stores a successful answer under <paramref name="key"/> (and, with <paramref name="runId"/>, links it to that
    /// run in the same transaction); the task completes once both are committed (group commit with the other writers
    /// waiting at the same time). Failed responses are ignored. Cancelling stops the wait, not the write.
    /// </summary>
    public Task PutResponseAsync(string key, string? requestHash, RunnerIdentity identity, ModelRequest request, ModelResponse response, string? runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsError)
        {
            return runId is null ? Task.CompletedTask : LinkResponseAsync(runId, request, key, cancellationToken);
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the run store stores log-likelihoods little-endian");
        }

        // The row is built here, on the caller's thread, so the single writer only binds and steps.
        var row = new object[]
        {
            key,
            identity.Runner,
            identity.Model,
            (object?)identity.Source ?? DBNull.Value,
            identity.Fingerprint,
            requestHash ?? RequestHasher.Hash(request),
            request.Kind.ToString(),
            (object?)response.Text ?? DBNull.Value,
            response.LogLikelihoods is { } ll ? MemoryMarshal.AsBytes(ll.ToArray().AsSpan()).ToArray() : DBNull.Value,
            (object?)response.Probability ?? DBNull.Value,
            response.LatencyMs,
            (object?)response.Usage?.PromptTokens ?? DBNull.Value,
            (object?)response.Usage?.CompletionTokens ?? DBNull.Value,
            (object?)response.Usage?.Cost?.ToString(CultureInfo.InvariantCulture) ?? DBNull.Value,
            (object?)response.Method ?? DBNull.Value,
            DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
        var pending = new PendingWrite(row, runId is null ? null : LinkRow(runId, request, key));
        Enqueue(pending);
        return cancellationToken.CanBeCanceled ? pending.Done.Task.WaitAsync(cancellationToken) : pending.Done.Task;
    }

    /// <summary>Records that <paramref name="runId"/> got its answer for the request from the entry <paramref name="key"/>.</summary>
    public void LinkResponse(string runId, ModelRequest request, string key) =>
        LinkResponseAsync(runId, request, key, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>As <see cref="LinkResponse"/>, group-committed; the task completes once the link is committed.</summary>
    public Task LinkResponseAsync(string runId, ModelRequest request, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        var pending = new PendingWrite(null, LinkRow(runId, request, key));
        Enqueue(pending);
        return cancellationToken.CanBeCanceled ? pending.Done.Task.WaitAsync(cancellationToken) : pending.Done.Task;
    }

    /// <summary>Returns once every write enqueued before the call is committed (or has failed).</summary>
    public void Flush()
    {
        var marker = new PendingWrite(null, null);
        Enqueue(marker);
        marker.Done.Task.GetAwaiter().GetResult();
    }

    private static object[] LinkRow(string runId, ModelRequest request, string key) => [runId, request.Suite, request.ItemId, request.RequestId, key];

    /// <summary>How many requests of <paramref name="runId"/> have a stored answer (progress shown on resume).</summary>
    public long CountAnswered(string runId) => FlushThen(() => Scalar<long>("SELECT COUNT(*) FROM run_responses WHERE run_id = $a", runId));

    /// <summary>How many answers the cache holds.</summary>
    public long CachedResponseCount => FlushThen(() => Scalar<long>("SELECT COUNT(*) FROM responses"));

    private T FlushThen<T>(Func<T> read)
    {
        Flush();
        return read();
    }
}
