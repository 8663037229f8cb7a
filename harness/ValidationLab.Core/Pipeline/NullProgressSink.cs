using ValidationLab.Requests;

namespace ValidationLab.Pipeline;

/// <summary>Reports nothing (tests, library use).</summary>
public sealed class NullProgressSink : IProgressSink
{
    public static NullProgressSink Instance { get; } = new();

    public void Phase(string description)
    {
    }

    public void Warning(string message)
    {
    }

    public void RequestsStarted(int total)
    {
    }

    public void RequestCompleted(ModelResponse response)
    {
    }

    public void RequestsFinished()
    {
    }

    public void Retrying(string itemId, int attempt, TimeSpan delay, string reason)
    {
    }

    public void Status(string message)
    {
    }
}
