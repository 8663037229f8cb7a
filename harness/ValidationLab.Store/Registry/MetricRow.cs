namespace ValidationLab.Store;

/// <summary>One metric of one suite of a registered run (table <c>registry_metrics</c>); null value: the metric is absent.</summary>
public sealed record MetricRow(string Suite, string Metric, double? Value, double? Lower, double? Upper, int N, int? Clusters);
