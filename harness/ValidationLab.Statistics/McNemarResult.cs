namespace ValidationLab.Statistics;

/// <summary>
/// Result of a McNemar test on the discordant pairs of a paired binary comparison.
/// </summary>
/// <param name="Statistic">
/// The test statistic as statsmodels reports it: min(b, c) for the exact and mid-p tests, the chi-square value otherwise.
/// </param>
/// <param name="PValue">Two-sided p-value, in [0, 1].</param>
/// <param name="B">Discordant count: first correct, second wrong.</param>
/// <param name="C">Discordant count: first wrong, second correct.</param>
/// <param name="Method">"McNemar exact", "McNemar mid-p", "McNemar chi-square" or "McNemar chi-square (continuity corrected)".</param>
public sealed record McNemarResult(double Statistic, double PValue, int B, int C, string Method);
