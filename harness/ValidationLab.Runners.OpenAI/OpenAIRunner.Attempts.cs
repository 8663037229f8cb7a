using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

// OpenAIRunner: one HTTP attempt (rate limits, concurrency, per-attempt timeout, reading the reply) and the Polly
// retry pipeline that repeats it; kept apart so the send path can be read on its own.
public sealed partial class OpenAIRunner
{
    private async Task<Attempt> RetryAsync(ModelRequest request, string? method, Attempt first, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            var state = new RetryState(this, request, method, first);
            var attempt = await _pipeline.ExecuteAsync(
                static (ctx, state) => state.NextAsync(ctx.CancellationToken),
                context,
                state).ConfigureAwait(false);
            if (attempt.Response is null && attempt.Retryable)
            {
                return attempt with { Message = $"gave up after {_options.MaxRetries + 1} attempts; last: {attempt.Message}" };
            }

            return attempt;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Hands Polly the outcome of the attempt already made, then makes the real retries.</summary>
    private sealed class RetryState(OpenAIRunner runner, ModelRequest request, string? method, Attempt first)
    {
        private Attempt? _first = first;

        public ValueTask<Attempt> NextAsync(CancellationToken cancellationToken)
        {
            if (_first is { } f)
            {
                _first = null;
                return ValueTask.FromResult(f);
            }

            return runner.AttemptAsync(request, method, cancellationToken);
        }
    }

    private ResiliencePipeline<Attempt> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<Attempt>();
        if (_options.MaxRetries == 0)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions<Attempt>
        {
            MaxRetryAttempts = _options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.RetryBaseDelay,
            MaxDelay = _options.RetryMaxDelay,
            ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is { Response: null, Retryable: true }),

            // Retry-After (or retry-after-ms) from the server wins over our own backoff, capped at 15 minutes.
            DelayGenerator = static args => ValueTask.FromResult(
                args.Outcome.Result.RetryAfter is { } after ? (TimeSpan?)TimeSpan.FromTicks(Math.Min(after.Ticks, TimeSpan.FromMinutes(15).Ticks)) : null),
            OnRetry = args =>
            {
                Interlocked.Increment(ref _retries);
                var itemId = args.Context.Properties.TryGetValue(RequestKey, out var r) ? r.ItemId : "";
                var reason = args.Outcome.Exception is null ? $"{args.Outcome.Result.Kind}: {Redact(args.Outcome.Result.Message)}" : "error";
                _observer.Retrying(itemId, args.AttemptNumber + 1, args.RetryDelay, reason);
                return default;
            },
        }).Build();
    }

    /// <summary>One HTTP attempt. Never throws except for the caller's cancellation.</summary>
    private async ValueTask<Attempt> AttemptAsync(ModelRequest request, string? method, CancellationToken cancellationToken)
    {
        byte[]? reply = null;
        try
        {
            var (uri, body, estimate) = Build(request, method);
            if (_requestLimiter is not null)
            {
                await _requestLimiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            }

            if (_tokenLimiter is not null)
            {
                await _tokenLimiter.AcquireAsync(estimate, cancellationToken).ConfigureAwait(false);
            }

            await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            var timeout = RentTimeout();
            var link = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout)
                : default;
            timeout.CancelAfter(_options.Timeout);
            var started = Stopwatch.GetTimestamp();
            int length;
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
                message.Content.Headers.ContentType = JsonContentType;
                AddHeaders(message);
                Interlocked.Increment(ref _requestsSent);
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is < 200 or > 299)
                {
                    var snippet = await ReadSnippetAsync(response, timeout.Token).ConfigureAwait(false);
                    var retryable = status is 408 or 409 or 429 or >= 500;
                    return Attempt.Fail($"http_{status}", $"HTTP {status} {response.ReasonPhrase}{snippet}", retryable, RetryAfter(response));
                }

                (reply, length) = await ReadBodyAsync(response.Content, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Attempt.Fail("timeout", $"no complete answer within {_options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", retryable: true);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                return Attempt.Fail("connection", Describe(e), retryable: true);
            }
            finally
            {
                link.Dispose();
                ReturnTimeout(timeout);
                _inFlight.Release();
            }

            var latencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            try
            {
                var answer = Interpret(request, method, reply.AsMemory(0, length), latencyMs);
                Account(answer.Usage, estimate);
                return Attempt.Ok(answer);
            }
            catch (MalformedResponseException e)
            {
                return Attempt.Fail("malformed_response", e.Message, retryable: true);
            }
            catch (UnusableResponseException e)
            {
                return Attempt.Fail(e.Kind, e.Message, retryable: false);
            }
        }
        finally
        {
            if (reply is not null)
            {
                ArrayPool<byte>.Shared.Return(reply);
            }
        }
    }

    /// <summary>The whole reply body into a pooled buffer (the caller returns it); Content-Length, when sent, sizes it.</summary>
    private static async ValueTask<(byte[] Buffer, int Length)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var hint = content.Headers.ContentLength is { } declared and >= 0 and < 1 << 20 ? (int)declared + 1 : 16 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(hint);
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var filled = 0;
                while (true)
                {
                    if (filled == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                        buffer.AsSpan(0, filled).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return (buffer, filled);
                    }

                    filled += n;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly System.Collections.Concurrent.ConcurrentBag<CancellationTokenSource> _timeouts = [];

    private CancellationTokenSource RentTimeout() => _timeouts.TryTake(out var cts) ? cts : new CancellationTokenSource();

    /// <summary>A source that never fired (TryReset also stops its timer) is reused; one that fired is dropped.</summary>
    private void ReturnTimeout(CancellationTokenSource cts)
    {
        if (cts.TryReset())
        {
            _timeouts.Add(cts);
        }
        else
        {
            cts.Dispose();
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage reply)
    {
        if (reply.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        if (reply.Headers.RetryAfter is { } ra)
        {
            if (ra.Delta is { } delta)
            {
                return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
            }

            if (ra.Date is { } date)
            {
                var d = date - DateTimeOffset.UtcNow;
                return d < TimeSpan.Zero ? TimeSpan.Zero : d;
            }
        }

        return null;
    }

    private static async Task<string> ReadSnippetAsync(HttpResponseMessage reply, CancellationToken cancellationToken)
    {
        try
        {
            var text = await reply.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            text = text.ReplaceLineEndings(" ").Trim();
            return text.Length == 0 ? "" : ": " + (text.Length > 300 ? text[..300] + "…" : text);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return "";
        }
    }

    private static string Describe(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " (" + inner.Message + ")";
        }

        return message;
    }
}
