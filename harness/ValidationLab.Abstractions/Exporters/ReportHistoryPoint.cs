namespace ValidationLab.Exporters;

/// <summary>
/// One metric of one earlier run of the same model on the same suite, as the run registry recorded it: what the
/// report's "trend over earlier runs" chart draws before the run itself. Absent metrics have a null value and are
/// listed in the chart's table but not drawn.
/// </summary>
/// <param name="RunId">The earlier run.</param>
/// <param name="FinishedUtc">When that run finished (UTC): the chart's order.</param>
/// <param name="Suite">Suite name, e.g. "medqa".</param>
/// <param name="Metric">Metric name, e.g. "accuracy".</param>
/// <param name="Value">The value, or null when the metric was absent.</param>
/// <param name="CiLow">Lower interval bound, or null.</param>
/// <param name="CiHigh">Upper interval bound, or null.</param>
/// <param name="N">The n the value rests on.</param>
/// <param name="Method">The interval's method, e.g. "Wilson 95% CI".</param>
public sealed record ReportHistoryPoint(
    string RunId,
    DateTimeOffset FinishedUtc,
    string Suite,
    string Metric,
    double? Value,
    double? CiLow,
    double? CiHigh,
    int N,
    string Method);
