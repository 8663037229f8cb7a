namespace ValidationLab.Store;

/// <summary>
/// A registered run's metric rows alone. <see cref="IRunRegistry.GetRunDetail"/> reads every item too, which is what
/// `runs show` wants and far too much for a report's trend chart, which needs a dozen earlier runs' metrics (each run
/// may hold 50,000 items). Both registries implement it (added for the trend chart, issue 10; S3).
/// </summary>
public interface IRunMetricsReader
{
    /// <summary>The run's metrics in registration order; empty when the run is not registered.</summary>
    IReadOnlyList<MetricRow> ReadMetrics(string runId);
}
