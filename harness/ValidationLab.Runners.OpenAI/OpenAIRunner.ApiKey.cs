using ValidationLab.Errors;

namespace ValidationLab.Runners.OpenAI;

// OpenAIRunner: the API key (read once from the environment), the headers sent with every request, and redaction
// of the key from any text that leaves the runner.
public sealed partial class OpenAIRunner
{
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

    /// <summary>Removes the key from any text that leaves the runner (a server may echo request headers in an error).</summary>
    private string Redact(string text) =>
        _apiKey is { Length: >= 4 } key ? text.Replace(key, "[redacted]", StringComparison.Ordinal) : text;
}
