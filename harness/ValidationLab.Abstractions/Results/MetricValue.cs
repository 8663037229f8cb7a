namespace ValidationLab.Results;

/// <summary>
/// A number as a reviewer must read it: the value, its interval, the n it rests on and the method that produced
/// the interval ("Wilson 95% CI"). Intervals are null for counts.
/// </summary>
public sealed record MetricValue(double Value, double? CiLow, double? CiHigh, int N, string Method);
