namespace ValidationLab.Runners.OpenAI;

/// <summary>Thrown by the parsers for a body that is not the OpenAI wire format; the attempt is retried.</summary>
internal sealed class MalformedResponseException(string message) : Exception(message);
