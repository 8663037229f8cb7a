using ValidationLab.Requests;
using ValidationLab.Runners;

namespace ValidationLab.Pipeline;

/// <summary>
/// Where the pipeline reports progress: a Spectre.Console progress bar on a terminal, plain lines in CI, nothing
/// in tests. Also receives the runner's retry and status events. Implementations must be thread-safe.
/// </summary>
public interface IProgressSink : IRunObserver
{
    /// <summary>A phase begins ("loading medqa", "scoring").</summary>
    void Phase(string description);

    /// <summary>Something the user should read that does not stop the run.</summary>
    void Warning(string message);

    /// <summary>The model calls start; <paramref name="total"/> requests are planned.</summary>
    void RequestsStarted(int total);

    /// <summary>One request finished (successfully or not).</summary>
    void RequestCompleted(ModelResponse response);

    /// <summary>All requests finished.</summary>
    void RequestsFinished();
}
