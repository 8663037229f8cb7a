namespace ValidationLab.Statistics;

/// <summary>A sample-size / detectable-difference plan for a paired accuracy comparison.</summary>
/// <param name="N">Number of paired items (rounded up when it was solved for).</param>
/// <param name="Difference">Accuracy difference Δ = p10 − p01 (solved for, or given).</param>
/// <param name="DiscordantProportion">Expected proportion of discordant items ψ = p10 + p01.</param>
/// <param name="Alpha">Two-sided significance level.</param>
/// <param name="Power">Power 1 − β.</param>
/// <param name="Method">"McNemar, Connor (1987)".</param>
public sealed record PowerPlan(int N, double Difference, double DiscordantProportion, double Alpha, double Power, string Method);
