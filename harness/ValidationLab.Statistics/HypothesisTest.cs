namespace ValidationLab.Statistics;

/// <summary>Result of a significance test.</summary>
/// <param name="Statistic">Test statistic (z, chi-square, or for Fisher's test the sample odds ratio, which may be +∞ but never NaN).</param>
/// <param name="PValue">Two-sided p-value in [0, 1].</param>
/// <param name="DegreesOfFreedom">Degrees of freedom for chi-square tests, otherwise 0.</param>
/// <param name="Method">Name of the test, e.g. "Fisher exact (two-sided)".</param>
public sealed record HypothesisTest(double Statistic, double PValue, int DegreesOfFreedom, string Method);
