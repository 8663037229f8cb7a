using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using System.Text.Json;
using ValidationLab.Errors;
using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

/// <summary>
/// Drives an OpenAI-compatible endpoint: chat completions for <see cref="GenerateRequest"/>, completion logprobs
/// (prompt echo, or top_logprobs of the next token) for <see cref="LogLikelihoodRequest"/>.
/// <para>
/// Why plain <see cref="HttpClient"/> and not the OpenAI .NET SDK (2.15): the SDK's chat client always sends
/// <c>max_completion_tokens</c>, which TGI, llama.cpp's server, older vLLM and the Azure AI model-inference API do not
/// read (they expect <c>max_tokens</c>, and would generate unbounded); its legacy completions client has no typed
/// echo/logprobs surface, which log-likelihood scoring needs; and retries, Retry-After, per-attempt timeouts and
/// malformed-body handling must be ours (Polly) with the raw status and headers in hand. The wire format is small and
/// stable, so it is written and parsed here directly, which also keeps the per-request overhead near a bare HttpClient.
/// </para>
/// Never throws for a failed request (only for the caller's cancellation): failures come back as
/// <see cref="ModelResponse.Failed"/> with the reason, retries included. Thread-safe.
/// </summary>
public sealed class OpenAIRunner : IModelRunner, IRunnerStatistics
{
    /// <summary>Method names recorded in <see cref="ModelResponse.Method"/>.</summary>
    public const string EchoMethod = "echo-logprobs";

    /// <inheritdoc cref="EchoMethod"/>
    public const string TopLogprobsMethod = "top-logprobs";

    /// <summary>Method recorded for chat generation.</summary>
    public const string ChatMethod = "chat";

    private static readonly ResiliencePropertyKey<ModelRequest> RequestKey = new("validationlab.request");
    private static readonly IReadOnlySet<RequestKind> Kinds = new HashSet<RequestKind> { RequestKind.Generate, RequestKind.LogLikelihood };

    private readonly OpenAIRunnerOptions _options;
    private readonly IRunObserver _observer;
    private readonly string _origin;
    private readonly HttpClient _http;
    private readonly Uri _chatUri;
    private readonly Uri _completionsUri;
    private readonly SemaphoreSlim _inFlight;
    private readonly PerMinuteLimiter? _requestLimiter;
    private readonly PerMinuteLimiter? _tokenLimiter;
    private readonly ResiliencePipeline<Attempt> _pipeline;
    private readonly Lock _gate = new();
    private readonly KeyValuePair<string, string>[] _extraHeaders;
    private string? _apiKey;
    private (string Name, string Value)? _authHeader;
    private bool _keyLoaded;
    private Task<string>? _methodTask;

    private long _requestsSent;
    private long _retries;
    private long _failed;
    private long _promptTokens;
    private long _completionTokens;
    private decimal _cost;

    /// <summary>Builds the runner; <paramref name="handler"/> replaces the HTTP handler (tests, benchmarks).</summary>
    public OpenAIRunner(OpenAIRunnerOptions options, IRunObserver? observer = null, string origin = "command line", HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _observer = observer ?? NullRunObserver.Instance;
        _origin = origin;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.Timeout,
            AutomaticDecompression = DecompressionMethods.All,
            MaxConnectionsPerServer = Math.Max(options.MaxConcurrency, 1),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var query = options.Variant == EndpointVariant.Azure ? "?api-version=" + Uri.EscapeDataString(options.ApiVersion!) : "";
        _chatUri = new Uri(options.BaseUrl, "chat/completions" + query);
        _completionsUri = new Uri(options.BaseUrl, "completions" + query);
        _inFlight = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _requestLimiter = options.RequestsPerMinute > 0 ? new PerMinuteLimiter("requests_per_minute", options.RequestsPerMinute, _observer) : null;
        _tokenLimiter = options.TokensPerMinute > 0 ? new PerMinuteLimiter("tokens_per_minute", options.TokensPerMinute, _observer) : null;
        _pipeline = BuildPipeline();
        _extraHeaders = [.. options.Headers];
        Identity = new RunnerIdentity
        {
            Runner = "openai",
            Model = options.Model,
            Source = options.Source,
            Fingerprint = options.Fingerprint(),
        };
    }

    /// <inheritdoc />
    public RunnerIdentity Identity { get; }

    /// <inheritdoc />
    public IReadOnlySet<RequestKind> SupportedKinds => Kinds;

    /// <inheritdoc />
    public int MaxConcurrency => _options.MaxConcurrency;

    /// <summary>The settings this runner was built with.</summary>
    public OpenAIRunnerOptions Options => _options;

    /// <inheritdoc />
    public RunnerCounters GetCounters()
    {
        decimal cost;
        lock (_gate)
        {
            cost = _cost;
        }

        var waited = (_requestLimiter?.WaitedTicks ?? 0) + (_tokenLimiter?.WaitedTicks ?? 0);
        return new RunnerCounters
        {
            RequestsSent = Interlocked.Read(ref _requestsSent),
            Retries = Interlocked.Read(ref _retries),
            FailedRequests = Interlocked.Read(ref _failed),
            PromptTokens = Interlocked.Read(ref _promptTokens),
            CompletionTokens = Interlocked.Read(ref _completionTokens),
            Cost = _options.PriceInputPer1M is null && _options.PriceOutputPer1M is null ? null : cost,
            RateLimitWait = TimeSpan.FromSeconds(waited / (double)Stopwatch.Frequency),
        };
    }

    /// <summary>
    /// Checks the key's environment variable and, when the plan holds log-likelihood requests, which logprob method
    /// the server offers. Throws <see cref="InputException"/> when the plan cannot run.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<ModelRequest> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        LoadKey();
        var warnings = new List<string>();
        var scoring = plan.OfType<LogLikelihoodRequest>().ToList();
        if (scoring.Count > 0)
        {
            var method = await ResolveMethodAsync(cancellationToken).ConfigureAwait(false);
            if (method == TopLogprobsMethod && scoring.Any(r => r.Continuations.Any(c => c.Trim().Length > 3)))
            {
                warnings.Add("log-likelihoods come from the top_logprobs of the next token: only the first token of each option is scored (the server offers no prompt echo)");
            }
        }

        return warnings;
    }

    /// <inheritdoc />
    public async Task<ModelResponse> ExecuteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request is not (GenerateRequest or LogLikelihoodRequest))
        {
            return ModelResponse.Failed(request, "unsupported", $"the openai runner does not answer {request.Kind} requests");
        }

        try
        {
            LoadKey();
        }
        catch (InputException e)
        {
            return ModelResponse.Failed(request, "configuration", e.Message);
        }

        string? method = null;
        if (request is LogLikelihoodRequest)
        {
            try
            {
                method = await ResolveMethodAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InputException e)
            {
                return ModelResponse.Failed(request, "configuration", e.Message);
            }
        }

        // Fast path: most attempts succeed, so the first one is made directly; only a retryable failure enters the
        // Polly pipeline (RetryAsync), which is handed that first outcome as its attempt 0 and drives the retries.
        var attempt = await AttemptAsync(request, method, cancellationToken).ConfigureAwait(false);
        if (attempt.Response is { } response)
        {
            return response;
        }

        if (attempt.Retryable && _options.MaxRetries > 0)
        {
            attempt = await RetryAsync(request, method, attempt, cancellationToken).ConfigureAwait(false);
            if (attempt.Response is { } retried)
            {
                return retried;
            }
        }

        Interlocked.Increment(ref _failed);
        return ModelResponse.Failed(request, attempt.Kind, Redact(attempt.Message));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _inFlight.Dispose();
        return ValueTask.CompletedTask;
    }

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

    private readonly System.Collections.Concurrent.ConcurrentBag<BodyBuffer> _bodies = [];

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

    /// <summary>
    /// Scratch space for writing a request body, reused: the body is written here and copied out to an exact-size
    /// array that the request owns (HttpClient may still touch a request's content after a failed send returns, so
    /// the content itself is never recycled).
    /// </summary>
    private sealed class BodyBuffer
    {
        public BodyBuffer() => Writer = new Utf8JsonWriter(Buffer);

        public ArrayBufferWriter<byte> Buffer { get; } = new(1024);

        public Utf8JsonWriter Writer { get; }

        public void Reset()
        {
            Buffer.ResetWrittenCount();
            Writer.Reset(Buffer);
        }
    }

    private BodyBuffer RentBody()
    {
        if (_bodies.TryTake(out var body))
        {
            body.Reset();
            return body;
        }

        return new BodyBuffer();
    }

    /// <summary>Kept for the next request unless a huge prompt grew it (then the memory goes back to the GC).</summary>
    private void ReturnBody(BodyBuffer body)
    {
        if (body.Buffer.Capacity <= 64 * 1024)
        {
            _bodies.Add(body);
        }
    }

    private (Uri Uri, byte[] Body, double TokenEstimate) Build(ModelRequest request, string? method)
    {
        var scratch = RentBody();
        try
        {
            var (uri, estimate) = Write(request, method, scratch);
            return (uri, scratch.Buffer.WrittenSpan.ToArray(), estimate);
        }
        finally
        {
            ReturnBody(scratch);
        }
    }

    private (Uri Uri, double TokenEstimate) Write(ModelRequest request, string? method, BodyBuffer body)
    {
        switch (request)
        {
            case GenerateRequest g:
                {
                    var chars = 0;
                    for (var i = 0; i < g.Messages.Count; i++)
                    {
                        chars += g.Messages[i].Content.Length + 8;
                    }

                    WireFormat.WriteChatBody(body.Writer, _options, g.Messages, g.Decoding, topLogprobs: null);
                    return (_chatUri, (chars / 4.0) + g.Decoding.MaxTokens);
                }

            case LogLikelihoodRequest l when method == EchoMethod:
                {
                    var chars = l.Continuations.Sum(c => l.Context.Length + c.Length);
                    body.Buffer.Write(WireFormat.EchoBody(_options, l.Continuations.Select(c => l.Context + c)).Span);
                    return (_completionsUri, (chars / 4.0) + l.Continuations.Count);
                }

            case LogLikelihoodRequest l:
                {
                    WireFormat.WriteChatBody(body.Writer, _options, [new ChatMessage("user", l.Context)], TopLogprobsDecoding, _options.TopLogprobs);
                    return (_chatUri, (l.Context.Length / 4.0) + 1);
                }

            default:
                throw new InvalidOperationException("unreachable: kind checked by ExecuteAsync");
        }
    }

    private static readonly DecodingParameters TopLogprobsDecoding = new() { Temperature = 0, MaxTokens = 1 };

    private ModelResponse Interpret(ModelRequest request, string? method, ReadOnlyMemory<byte> body, double latencyMs)
    {
        switch (request)
        {
            case GenerateRequest:
                {
                    var (text, usage) = WireFormat.ParseChat(body.Span);
                    return new ModelResponse
                    {
                        Suite = request.Suite,
                        ItemId = request.ItemId,
                        RequestId = request.RequestId,
                        Text = text,
                        LatencyMs = latencyMs,
                        Usage = Priced(usage),
                        Method = ChatMethod,
                    };
                }

            case LogLikelihoodRequest l:
                {
                    var (values, usage) = method == EchoMethod
                        ? WireFormat.ParseEcho(body, l.Context, l.Continuations)
                        : WireFormat.ParseTopLogprobs(body, l.Continuations);
                    return new ModelResponse
                    {
                        Suite = request.Suite,
                        ItemId = request.ItemId,
                        RequestId = request.RequestId,
                        LogLikelihoods = values,
                        LatencyMs = latencyMs,
                        Usage = Priced(usage),
                        Method = method,
                    };
                }

            default:
                throw new InvalidOperationException("unreachable: kind checked by ExecuteAsync");
        }
    }

    private TokenUsage? Priced(TokenUsage? usage)
    {
        if (usage is null || (_options.PriceInputPer1M is null && _options.PriceOutputPer1M is null))
        {
            return usage;
        }

        var cost = (usage.PromptTokens * (_options.PriceInputPer1M ?? 0m) / 1_000_000m) + (usage.CompletionTokens * (_options.PriceOutputPer1M ?? 0m) / 1_000_000m);
        return usage with { Cost = cost };
    }

    private void Account(TokenUsage? usage, double estimate)
    {
        if (usage is null)
        {
            return;
        }

        Interlocked.Add(ref _promptTokens, usage.PromptTokens);
        Interlocked.Add(ref _completionTokens, usage.CompletionTokens);
        if (usage.Cost is { } cost)
        {
            lock (_gate)
            {
                _cost += cost;
            }
        }

        _tokenLimiter?.Adjust(usage.PromptTokens + usage.CompletionTokens - estimate);
    }

    private void AddHeaders(HttpRequestMessage message)
    {
        if (_authHeader is { } auth)
        {
            message.Headers.TryAddWithoutValidation(auth.Name, auth.Value);
        }

        var extra = _extraHeaders;
        for (var i = 0; i < extra.Length; i++)
        {
            message.Headers.TryAddWithoutValidation(extra[i].Key, extra[i].Value);
        }
    }

    private void LoadKey()
    {
        if (Volatile.Read(ref _keyLoaded))
        {
            return;
        }

        if (_options.ApiKeyEnv is { } name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new InputException($"the environment variable '{name}' named by api_key_env is not set", _origin, field: "api_key_env");
            }

            _apiKey = value.Trim();
            if (_apiKey.Length > 0)
            {
                _authHeader = _options.Variant == EndpointVariant.Azure ? ("api-key", _apiKey) : ("Authorization", "Bearer " + _apiKey);
            }
        }

        Volatile.Write(ref _keyLoaded, true);
    }

    private Task<string> ResolveMethodAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_methodTask is null || _methodTask.IsFaulted || _methodTask.IsCanceled)
            {
                _methodTask = DetectMethodAsync(cancellationToken);
            }

            return _methodTask;
        }
    }

    /// <summary>Probes the server once for the configured (or, with auto, the best offered) logprob method.</summary>
    private async Task<string> DetectMethodAsync(CancellationToken cancellationToken)
    {
        var wanted = _options.LogLikelihoodMethod;
        var notes = new List<string>();
        if (wanted is LogLikelihoodMethod.Auto or LogLikelihoodMethod.Echo)
        {
            var (ok, note) = await ProbeAsync(_completionsUri, WireFormat.EchoBody(_options, ["The capital of France is Paris"]), WireFormat.HasEchoLogprobs, cancellationToken).ConfigureAwait(false);
            if (ok)
            {
                return EchoMethod;
            }

            notes.Add("prompt echo: " + note);
        }

        if (wanted is LogLikelihoodMethod.Auto or LogLikelihoodMethod.TopLogprobs)
        {
            var body = WireFormat.ChatBody(_options, [new ChatMessage("user", "Say A.")], TopLogprobsDecoding, _options.TopLogprobs);
            var (ok, note) = await ProbeAsync(_chatUri, body, WireFormat.HasTopLogprobs, cancellationToken).ConfigureAwait(false);
            if (ok)
            {
                return TopLogprobsMethod;
            }

            notes.Add($"top_logprobs={_options.TopLogprobs}: " + note + (note.StartsWith("HTTP 4", StringComparison.Ordinal) ? " (a server that caps top_logprobs, like TGI at 5, needs a lower 'top_logprobs')" : ""));
        }

        var asked = wanted switch
        {
            LogLikelihoodMethod.Echo => "loglikelihood_method: echo was asked for, but",
            LogLikelihoodMethod.TopLogprobs => "loglikelihood_method: top_logprobs was asked for, but",
            _ => "log-likelihood scoring was asked for, but",
        };
        throw new InputException(
            $"{asked} the endpoint {_options.Source} (model '{_options.Model}') does not offer it ({Redact(string.Join("; ", notes))}); use a server that returns completion logprobs (e.g. vLLM) or a generate-mode suite",
            _origin, field: "loglikelihood_method");
    }

    private async Task<(bool Ok, string Note)> ProbeAsync(Uri uri, ReadOnlyMemory<byte> body, Func<byte[], bool> check, CancellationToken cancellationToken)
    {
        var probe = new GenerateRequest { Suite = "probe", ItemId = "(capability probe)", Messages = [] };
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, probe);
        try
        {
            var result = await _pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    var (runner, uri, body, check) = state;
                    await runner._inFlight.WaitAsync(ctx.CancellationToken).ConfigureAwait(false);
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.CancellationToken);
                    timeout.CancelAfter(runner._options.Timeout);
                    try
                    {
                        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(body) };
                        message.Content.Headers.ContentType = JsonContentType;
                        runner.AddHeaders(message);
                        Interlocked.Increment(ref runner._requestsSent);
                        using var reply = await runner._http.SendAsync(message, timeout.Token).ConfigureAwait(false);
                        var status = (int)reply.StatusCode;
                        var bytes = await reply.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                        if (status is 408 or 409 or 429 or >= 500)
                        {
                            return Attempt.Fail($"http_{status}", $"HTTP {status}", retryable: true, RetryAfter(reply));
                        }

                        if (status is < 200 or > 299)
                        {
                            var text = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 200)).ReplaceLineEndings(" ").Trim();
                            return Attempt.Fail($"http_{status}", text.Length == 0 ? $"HTTP {status}" : $"HTTP {status} {text}", retryable: false);
                        }

                        return check(bytes) ? Attempt.Ok(null!) : Attempt.Fail("unsupported", "the answer carries no logprobs", retryable: false);
                    }
                    catch (OperationCanceledException) when (!ctx.CancellationToken.IsCancellationRequested)
                    {
                        return Attempt.Fail("timeout", "timed out", retryable: true);
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException)
                    {
                        return Attempt.Fail("connection", Describe(e), retryable: true);
                    }
                    finally
                    {
                        runner._inFlight.Release();
                    }
                },
                context,
                (this, uri, body, check)).ConfigureAwait(false);
            if (result.Kind.Length == 0)
            {
                return (true, "");
            }

            if (result.Retryable)
            {
                throw new InputException($"could not reach {_options.Source} to check log-likelihood support: {Redact(result.Message)}", _origin, field: "base_url");
            }

            return (false, result.Message);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
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

    /// <summary>Removes the key from any text that leaves the runner (a server may echo request headers in an error).</summary>
    private string Redact(string text) =>
        _apiKey is { Length: >= 4 } key ? text.Replace(key, "[redacted]", StringComparison.Ordinal) : text;
}
