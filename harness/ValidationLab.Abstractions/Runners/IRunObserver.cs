namespace ValidationLab.Runners;

/// <summary>
/// Events a runner reports while it works, so that a run waiting on rate limits does not look hung.
/// Implementations must be thread-safe and cheap.
/// </summary>
public interface IRunObserver
{
    /// <summary>A request failed and will be tried again after <paramref name="delay"/>.</summary>
    void Retrying(string itemId, int attempt, TimeSpan delay, string reason);

    /// <summary>A free-form status line ("waiting 12 s for the rate limit").</summary>
    void Status(string message);
}

/// <summary>Ignores every event.</summary>
public sealed class NullRunObserver : IRunObserver
{
    public static NullRunObserver Instance { get; } = new();

    public void Retrying(string itemId, int attempt, TimeSpan delay, string reason)
    {
    }

    public void Status(string message)
    {
    }
}
