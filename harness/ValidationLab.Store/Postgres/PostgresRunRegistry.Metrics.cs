namespace ValidationLab.Store.Postgres;

// PostgresRunRegistry: the metric rows alone (IRunMetricsReader), for the report's trend over earlier runs.
internal sealed partial class PostgresRunRegistry : IRunMetricsReader
{
    /// <inheritdoc />
    public IReadOnlyList<MetricRow> ReadMetrics(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return WithConnection(c => (IReadOnlyList<MetricRow>)Read(c, null, "SELECT suite, metric, value, lower, upper, n, clusters FROM registry_metrics WHERE run_id = $1 ORDER BY position", runId,
            r => new MetricRow(r.GetString(0), r.GetString(1), NullableDouble(r, 2), NullableDouble(r, 3), NullableDouble(r, 4), r.GetInt32(5), r.IsDBNull(6) ? null : r.GetInt32(6))));
    }
}
