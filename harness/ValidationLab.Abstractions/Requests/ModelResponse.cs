namespace ValidationLab.Requests;

/// <summary>
/// What a runner returned for one request. A failed request is a response with <see cref="Error"/> set, never an
/// exception: the pipeline records it as an errored item, never as a wrong answer, and the run goes on.
/// Everything here is deterministic given the model's answer (latency included, as recorded when the answer was
/// first obtained), so cached and replayed responses reproduce results byte for byte.
/// </summary>
public sealed record ModelResponse
{
    public required string Suite { get; init; }

    public required string ItemId { get; init; }

    public string RequestId { get; init; } = "0";

    /// <summary>Generated text (Generate) or recorded raw response.</summary>
    public string? Text { get; init; }

    /// <summary>One log-likelihood per continuation, in request order (LogLikelihood).</summary>
    public IReadOnlyList<double>? LogLikelihoods { get; init; }

    /// <summary>Predicted probability (Risk, or a recorded probability).</summary>
    public double? Probability { get; init; }

    /// <summary>Why there is no answer; null when the request succeeded.</summary>
    public ResponseError? Error { get; init; }

    /// <summary>Wall time of the successful attempt in milliseconds (0 for recorded or baseline answers).</summary>
    public double LatencyMs { get; init; }

    /// <summary>Token counts and cost, when the runner knows them.</summary>
    public TokenUsage? Usage { get; init; }

    /// <summary>How the answer was obtained when a kind can be served several ways, e.g. "echo-logprobs".</summary>
    public string? Method { get; init; }

    /// <summary>True when there is no usable answer.</summary>
    public bool IsError => Error is not null;

    /// <summary>An answer addressed to <paramref name="request"/>, still empty: add the content with <c>with { … }</c>.</summary>
    public static ModelResponse For(ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ModelResponse { Suite = request.Suite, ItemId = request.ItemId, RequestId = request.RequestId };
    }

    /// <summary>A response that records a failure.</summary>
    public static ModelResponse Failed(ModelRequest request, string kind, string message) =>
        For(request) with { Error = new ResponseError(kind, message) };
}

/// <summary>A failed request: <see cref="Kind"/> is a short stable code ("timeout", "http_429", "no_prediction").</summary>
public sealed record ResponseError(string Kind, string Message);

/// <summary>Tokens in and out; cost when a price table is configured.</summary>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens, decimal? Cost = null);
