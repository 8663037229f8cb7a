using System.Net;
using Polly;
using ValidationLab.Errors;
using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

/// <summary>
/// Drives an OpenAI-compatible endpoint: chat completions for <see cref="GenerateRequest"/>, completion logprobs
/// (prompt echo, or top_logprobs of the next token) for <see cref="LogLikelihoodRequest"/>, and chat completions for
/// <see cref="RiskRequest"/> whose text the suite parses into a probability (OpenAIRunner.Risk.cs).
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
public sealed partial class OpenAIRunner : IModelRunner, IRunnerStatistics
{
    /// <summary>Method names recorded in <see cref="ModelResponse.Method"/>.</summary>
    public const string EchoMethod = "echo-logprobs";

    /// <inheritdoc cref="EchoMethod"/>
    public const string TopLogprobsMethod = "top-logprobs";

    /// <summary>Method recorded for chat generation.</summary>
    public const string ChatMethod = "chat";

    private static readonly ResiliencePropertyKey<ModelRequest> RequestKey = new("validationlab.request");
    private static readonly IReadOnlySet<RequestKind> Kinds = new HashSet<RequestKind> { RequestKind.Generate, RequestKind.LogLikelihood, RequestKind.Risk };

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
        if (request is not (GenerateRequest or LogLikelihoodRequest or RiskRequest))
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
}
