namespace ValidationLab.Runners;

/// <summary>
/// Counters a runner (or a decorator such as the response cache) keeps for the run's accounting. The pipeline
/// reads them from the outermost runner that implements this interface.
/// </summary>
public interface IRunnerCounters
{
    /// <summary>Requests actually sent to the model or endpoint (retries included).</summary>
    int RequestsSent { get; }

    /// <summary>Attempts repeated after a failure.</summary>
    int Retries { get; }

    /// <summary>Requests answered from the response cache.</summary>
    int CacheHits { get; }
}
