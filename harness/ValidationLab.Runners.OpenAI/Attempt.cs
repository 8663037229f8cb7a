using ValidationLab.Requests;

namespace ValidationLab.Runners.OpenAI;

/// <summary>What one HTTP attempt came to: an answer, or a failure that may be worth retrying.</summary>
internal readonly record struct Attempt
{
    public Attempt()
    {
    }

    public ModelResponse? Response { get; init; }

    public string Kind { get; init; } = "";

    public string Message { get; init; } = "";

    public bool Retryable { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public static Attempt Ok(ModelResponse response) => new() { Response = response };

    public static Attempt Fail(string kind, string message, bool retryable, TimeSpan? retryAfter = null) =>
        new() { Kind = kind, Message = message, Retryable = retryable, RetryAfter = retryAfter };
}
