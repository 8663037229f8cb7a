using System.Globalization;
using System.Text;
using ValidationLab.Errors;
using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Runners.OpenAI;

/// <summary>How the endpoint authenticates and addresses requests.</summary>
public enum EndpointVariant
{
    /// <summary>OpenAI and OpenAI-compatible servers (vLLM, TGI, llama.cpp): <c>Authorization: Bearer</c>.</summary>
    OpenAI,

    /// <summary>Azure AI Foundry / Azure OpenAI: <c>api-key</c> header and <c>api-version</c> query parameter.</summary>
    Azure,
}

/// <summary>How log-likelihood requests are scored.</summary>
public enum LogLikelihoodMethod
{
    /// <summary>Probe the server: prompt echo when offered, else next-token top_logprobs.</summary>
    Auto,

    /// <summary><c>/completions</c> with <c>echo</c> and <c>logprobs</c>: the exact log P(continuation | context).</summary>
    Echo,

    /// <summary><c>/chat/completions</c> with <c>top_logprobs</c> of the next token: first token of each option only.</summary>
    TopLogprobs,
}

/// <summary>The validated settings of one <c>runner: openai</c> block.</summary>
public sealed record OpenAIRunnerOptions
{
    public required Uri BaseUrl { get; init; }

    public required string Model { get; init; }

    public EndpointVariant Variant { get; init; } = EndpointVariant.OpenAI;

    public string? ApiVersion { get; init; }

    /// <summary>Name of the environment variable holding the key; null for servers without auth.</summary>
    public string? ApiKeyEnv { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public int MaxConcurrency { get; init; } = 8;

    /// <summary>0 = no limit.</summary>
    public int RequestsPerMinute { get; init; }

    /// <summary>0 = no limit.</summary>
    public int TokensPerMinute { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    public int MaxRetries { get; init; } = 6;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    public LogLikelihoodMethod LogLikelihoodMethod { get; init; } = LogLikelihoodMethod.Auto;

    public int TopLogprobs { get; init; } = 20;

    /// <summary>"max_tokens" (vLLM, TGI, llama.cpp, Azure AI model inference) or "max_completion_tokens" (OpenAI o-series).</summary>
    public string MaxTokensParameter { get; init; } = "max_tokens";

    /// <summary>Seed sent when a request's decoding parameters have none (the run seed).</summary>
    public int DefaultSeed { get; init; }

    public decimal? PriceInputPer1M { get; init; }

    public decimal? PriceOutputPer1M { get; init; }

    /// <summary>Every option key <see cref="Parse"/> understands. <c>api_key</c> is listed only so that it can be refused with a clear message.</summary>
    public static IReadOnlyCollection<string> Keys { get; } =
    [
        "base_url", "model", "variant", "api_version", "api_key_env", "api_key", "headers.",
        "max_concurrency", "requests_per_minute", "tokens_per_minute", "timeout_seconds",
        "max_retries", "retry_base_delay_seconds", "retry_max_delay_seconds",
        "loglikelihood_method", "top_logprobs", "max_tokens_parameter",
        "price.input_per_1m", "price.output_per_1m",
    ];

    /// <summary>Validates <paramref name="settings"/>; throws <see cref="InputException"/> naming the key at fault.</summary>
    public static OpenAIRunnerOptions Parse(RunnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Options.ContainsKey("api_key"))
        {
            throw new InputException(
                "an API key must not be written in a config file; put it in an environment variable and name that variable with 'api_key_env' (e.g. api_key_env: AZURE_AI_KEY)",
                settings.Origin, field: "api_key");
        }

        var raw = settings.Require("base_url").Trim();
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new InputException($"'{raw}' is not an http(s) URL", settings.Origin, field: "base_url");
        }

        if (!string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
        {
            throw new InputException("base_url must not carry a query string; give the API version with 'api_version'", settings.Origin, field: "base_url");
        }

        if (!string.IsNullOrEmpty(baseUrl.UserInfo))
        {
            throw new InputException("base_url must not carry credentials; name the key's environment variable with 'api_key_env'", settings.Origin, field: "base_url");
        }

        var variant = settings.Get("variant", "openai")!.Trim().ToLowerInvariant() switch
        {
            "openai" => EndpointVariant.OpenAI,
            "azure" => EndpointVariant.Azure,
            var v => throw new InputException($"variant '{v}' is not one of: openai, azure", settings.Origin, field: "variant"),
        };
        var apiVersion = settings.Get("api_version")?.Trim();
        if (variant == EndpointVariant.Azure && string.IsNullOrEmpty(apiVersion))
        {
            throw new InputException("the azure variant needs 'api_version' (e.g. 2024-10-21 for Azure OpenAI, 2024-05-01-preview for Foundry models)", settings.Origin, field: "api_version");
        }

        var method = settings.Get("loglikelihood_method", "auto")!.Trim().ToLowerInvariant() switch
        {
            "auto" => LogLikelihoodMethod.Auto,
            "echo" => LogLikelihoodMethod.Echo,
            "top_logprobs" => LogLikelihoodMethod.TopLogprobs,
            var v => throw new InputException($"loglikelihood_method '{v}' is not one of: auto, echo, top_logprobs", settings.Origin, field: "loglikelihood_method"),
        };
        var maxTokensParameter = settings.Get("max_tokens_parameter", "max_tokens")!.Trim();
        if (maxTokensParameter is not ("max_tokens" or "max_completion_tokens"))
        {
            throw new InputException($"max_tokens_parameter '{maxTokensParameter}' is not one of: max_tokens, max_completion_tokens", settings.Origin, field: "max_tokens_parameter");
        }

        var headers = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings.Options)
        {
            if (key.StartsWith("headers.", StringComparison.Ordinal))
            {
                var name = key["headers.".Length..];
                if (name.Length == 0 || name.Any(c => c <= ' ' || c == ':' || c > '~'))
                {
                    throw new InputException($"'{name}' is not a valid HTTP header name", settings.Origin, field: key);
                }

                if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("api-key", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InputException("credentials must not be written in a config file; name the key's environment variable with 'api_key_env'", settings.Origin, field: key);
                }

                headers[name] = value;
            }
        }

        var apiKeyEnv = settings.Get("api_key_env")?.Trim();

        // Checked here, with the other settings, so that a missing key is refused before the run store is opened
        // or any data is read; the key itself is read only when the runner prepares (and never stored).
        if (!string.IsNullOrEmpty(apiKeyEnv) && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(apiKeyEnv)))
        {
            throw new InputException($"the environment variable '{apiKeyEnv}' named by api_key_env is not set", settings.Origin, field: "api_key_env");
        }

        return new OpenAIRunnerOptions
        {
            BaseUrl = new Uri(raw.TrimEnd('/') + "/"),
            Model = settings.Require("model").Trim(),
            Variant = variant,
            ApiVersion = string.IsNullOrEmpty(apiVersion) ? null : apiVersion,
            ApiKeyEnv = string.IsNullOrEmpty(apiKeyEnv) ? null : apiKeyEnv,
            Headers = headers,
            MaxConcurrency = Positive(settings, "max_concurrency", settings.GetInt("max_concurrency", 8)),
            RequestsPerMinute = NonNegative(settings, "requests_per_minute", settings.GetInt("requests_per_minute", 0)),
            TokensPerMinute = NonNegative(settings, "tokens_per_minute", settings.GetInt("tokens_per_minute", 0)),
            Timeout = Seconds(settings, "timeout_seconds", 120, allowZero: false),
            MaxRetries = NonNegative(settings, "max_retries", settings.GetInt("max_retries", 6)),
            RetryBaseDelay = Seconds(settings, "retry_base_delay_seconds", 1, allowZero: true),
            RetryMaxDelay = Seconds(settings, "retry_max_delay_seconds", 60, allowZero: true),
            LogLikelihoodMethod = method,
            TopLogprobs = Math.Clamp(Positive(settings, "top_logprobs", settings.GetInt("top_logprobs", 20)), 1, 20),
            MaxTokensParameter = maxTokensParameter,
            DefaultSeed = settings.Seed,
            PriceInputPer1M = Price(settings, "price.input_per_1m"),
            PriceOutputPer1M = Price(settings, "price.output_per_1m"),
        };
    }

    /// <summary>
    /// SHA-256 over every setting that can change an answer: endpoint, model, variant, API version, the extra headers
    /// (a gateway may route on them; headers whose names look like credentials are left out), how log-likelihoods
    /// are obtained and the default seed. Never the key, nor throughput settings (concurrency, limits, retries, prices).
    /// </summary>
    public string Fingerprint()
    {
        var sb = new StringBuilder();
        sb.Append("openai-runner/1\n");
        sb.Append("base_url=").Append(BaseUrl.AbsoluteUri).Append('\n');
        sb.Append("model=").Append(Model).Append('\n');
        sb.Append("variant=").Append(Variant.ToString().ToLowerInvariant()).Append('\n');
        sb.Append("api_version=").Append(ApiVersion ?? "").Append('\n');
        sb.Append("loglikelihood_method=").Append(LogLikelihoodMethod.ToString().ToLowerInvariant()).Append('\n');
        sb.Append("top_logprobs=").Append(TopLogprobs.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("max_tokens_parameter=").Append(MaxTokensParameter).Append('\n');
        sb.Append("default_seed=").Append(DefaultSeed.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var (name, value) in Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (!LooksSecret(name))
            {
                sb.Append("header.").Append(name.ToLowerInvariant()).Append('=').Append(value).Append('\n');
            }
        }

        return RequestHasher.Sha256Hex(sb.ToString());
    }

    /// <summary>The endpoint as recorded in manifests and cache keys: scheme, host, port and path only.</summary>
    public string Source => BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');

    internal static bool LooksSecret(string headerName)
    {
        var n = headerName.ToLowerInvariant();
        return n.Contains("auth", StringComparison.Ordinal) || n.Contains("key", StringComparison.Ordinal) || n.Contains("token", StringComparison.Ordinal)
            || n.Contains("secret", StringComparison.Ordinal) || n.Contains("cookie", StringComparison.Ordinal) || n.Contains("signature", StringComparison.Ordinal);
    }

    private static int Positive(RunnerSettings s, string key, int value) =>
        value > 0 ? value : throw new InputException($"'{key}' must be at least 1", s.Origin, field: key);

    private static int NonNegative(RunnerSettings s, string key, int value) =>
        value >= 0 ? value : throw new InputException($"'{key}' must not be negative", s.Origin, field: key);

    private static TimeSpan Seconds(RunnerSettings s, string key, double fallback, bool allowZero)
    {
        var v = s.GetDouble(key, fallback);
        if (double.IsNaN(v) || v < 0 || (!allowZero && v == 0) || v > 86_400)
        {
            throw new InputException($"'{key}' must be a number of seconds {(allowZero ? "from 0" : "above 0")} up to 86400", s.Origin, field: key);
        }

        return TimeSpan.FromSeconds(v);
    }

    private static decimal? Price(RunnerSettings s, string key)
    {
        if (s.Get(key) is not { } text)
        {
            return null;
        }

        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v
            : throw new InputException($"'{text}' is not a price (a non-negative number per million tokens)", s.Origin, field: key);
    }
}
