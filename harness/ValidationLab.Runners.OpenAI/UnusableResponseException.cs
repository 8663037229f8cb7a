namespace ValidationLab.Runners.OpenAI;

/// <summary>Thrown by the parsers for a well-formed answer that cannot serve the request (no logprobs); not retried.</summary>
internal sealed class UnusableResponseException(string kind, string message) : Exception(message)
{
    public string Kind { get; } = kind;
}
