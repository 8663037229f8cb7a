using System.Globalization;
using System.Runtime.InteropServices;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Store;

/// <summary>
/// One pending cache write as both backends bind it: the answer's row of <c>responses</c> (columns in
/// <see cref="CacheRows.ResponseColumns"/> order) and/or the run link's row of <c>run_responses</c>; both null: a flush
/// marker. With <see cref="Batch"/>: many writes committed together or not at all (a journal drained in bulk).
/// </summary>
internal sealed record CacheWrite(object?[]? Response, object?[]? Link)
{
    public IReadOnlyList<CacheWrite>? Batch { get; init; }

    /// <summary>Calls <paramref name="write"/> with this write's rows: its own, or each of its batch's in order.</summary>
    public void ForEachRow(Action<object?[]?, object?[]?> write)
    {
        if (Batch is null)
        {
            write(Response, Link);
            return;
        }

        foreach (var w in Batch)
        {
            write(w.Response, w.Link);
        }
    }
}

/// <summary>The rows of <see cref="CacheWrite"/>, built on the caller's thread so the single writer only binds.</summary>
internal static class CacheRows
{
    /// <summary>
    /// The one put path of both backends: errors are never cached (only linked to the run); a success is queued for the
    /// group commit with its run link, and the task completes once both are committed.
    /// </summary>
    public static Task Put(GroupCommitter<CacheWrite> writer, string key, string? requestHash, RunnerIdentity identity, ModelRequest request, ModelResponse response, string? runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsError)
        {
            return runId is null ? Task.CompletedTask : Link(writer, runId, request, key, cancellationToken);
        }

        var row = Response(key, requestHash, identity, request, response);
        return writer.Enqueue(new CacheWrite(row, runId is null ? null : Link(runId, request, key)), cancellationToken);
    }

    /// <summary>Queues the link of <paramref name="runId"/> to the entry <paramref name="key"/> for the group commit.</summary>
    public static Task Link(GroupCommitter<CacheWrite> writer, string runId, ModelRequest request, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        return writer.Enqueue(new CacheWrite(null, Link(runId, request, key)), cancellationToken);
    }

    /// <summary>The columns of a response row, in binding order.</summary>
    public const string ResponseColumns =
        "cache_key, runner, model, source, fingerprint, request_hash, kind, text, loglikelihoods, probability, latency_ms, prompt_tokens, completion_tokens, cost, method, created_utc";

    /// <summary>The columns of a link row, in binding order.</summary>
    public const string LinkColumns = "run_id, suite, item_id, request_id, cache_key";

    /// <summary>Column values (null for SQL NULL): strings, a little-endian double array as bytes, doubles and ints.</summary>
    public static object?[] Response(string key, string? requestHash, RunnerIdentity identity, ModelRequest request, ModelResponse response)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the run store stores log-likelihoods little-endian");
        }

        return
        [
            key,
            identity.Runner,
            identity.Model,
            identity.Source,
            identity.Fingerprint,
            requestHash ?? RequestHasher.Hash(request),
            request.Kind.ToString(),
            response.Text,
            response.LogLikelihoods is { } ll ? MemoryMarshal.AsBytes(ll.ToArray().AsSpan()).ToArray() : null,
            response.Probability,
            response.LatencyMs,
            response.Usage?.PromptTokens,
            response.Usage?.CompletionTokens,
            response.Usage?.Cost?.ToString(CultureInfo.InvariantCulture),
            response.Method,
            DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ];
    }

    public static object?[] Link(string runId, ModelRequest request, string key) => [runId, request.Suite, request.ItemId, request.RequestId, key];

    /// <summary>The answer from the columns text, loglikelihoods, probability, latency_ms, prompt_tokens, completion_tokens, cost, method.</summary>
    public static ModelResponse Answer(ModelRequest request, string? text, ReadOnlySpan<byte> logLikelihoods, bool hasLogLikelihoods, double? probability,
        double latencyMs, int? promptTokens, int? completionTokens, string? cost, string? method) => new()
    {
        Suite = request.Suite,
        ItemId = request.ItemId,
        RequestId = request.RequestId,
        Text = text,
        LogLikelihoods = hasLogLikelihoods ? MemoryMarshal.Cast<byte, double>(logLikelihoods).ToArray() : null,
        Probability = probability,
        LatencyMs = latencyMs,
        Usage = promptTokens is { } prompt
            ? new TokenUsage(prompt, completionTokens ?? 0, cost is null ? null : decimal.Parse(cost, CultureInfo.InvariantCulture))
            : null,
        Method = method,
    };
}
