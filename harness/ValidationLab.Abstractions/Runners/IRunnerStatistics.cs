namespace ValidationLab.Runners;

/// <summary>
/// Counters a runner (or a runner decorator) exposes so that the pipeline can fill the run's accounting.
/// The pipeline reads it from the outermost runner with <c>runner as IRunnerStatistics</c> and falls back to
/// counting responses for runners that do not implement it.
/// </summary>
public interface IRunnerStatistics
{
    /// <summary>A consistent-enough snapshot of the counters (each counter is read atomically).</summary>
    RunnerCounters GetCounters();
}
