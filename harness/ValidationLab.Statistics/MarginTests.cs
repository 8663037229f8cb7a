using System.Globalization;

namespace ValidationLab.Statistics;

/// <summary>
/// One-sided tests of paired accuracy against a margin, e.g. "candidate no worse than baseline by more than 0.02".
/// Uses Tango's (1998) score test for paired proportions; the reported bound is the one-sided Tango score
/// confidence bound, so <c>Rejected</c> ⇔ p &lt; α ⇔ bound &gt; null boundary.
/// </summary>
public static class MarginTests
{
    /// <summary>
    /// Non-inferiority: H0 Δ ≤ −margin vs H1 Δ &gt; −margin, Δ = accuracy(candidate) − accuracy(baseline).
    /// </summary>
    /// <param name="candidate">Per-item correctness of the candidate (A).</param>
    /// <param name="baseline">Per-item correctness of the baseline (B), same items.</param>
    /// <param name="margin">Non-inferiority margin, 0 ≤ margin &lt; 1 (e.g. 0.02).</param>
    /// <param name="alpha">One-sided level, default 0.025 (matching a two-sided 95% CI).</param>
    public static MarginTestResult NonInferiority(ReadOnlySpan<bool> candidate, ReadOnlySpan<bool> baseline, double margin, double alpha = 0.025) =>
        NonInferiority(PairedCounts.FromOutcomes(candidate, baseline), margin, alpha);

    /// <summary>Non-inferiority from the paired 2×2 counts (first = candidate, second = baseline).</summary>
    public static MarginTestResult NonInferiority(PairedCounts counts, double margin, double alpha = 0.025) =>
        Run(counts, margin, alpha, -margin, "non-inferiority");

    /// <summary>Superiority by a margin: H0 Δ ≤ margin vs H1 Δ &gt; margin (margin 0 = plain superiority).</summary>
    public static MarginTestResult Superiority(ReadOnlySpan<bool> candidate, ReadOnlySpan<bool> baseline, double margin = 0.0, double alpha = 0.025) =>
        Superiority(PairedCounts.FromOutcomes(candidate, baseline), margin, alpha);

    /// <summary>Superiority from the paired 2×2 counts (first = candidate, second = baseline).</summary>
    public static MarginTestResult Superiority(PairedCounts counts, double margin = 0.0, double alpha = 0.025) =>
        Run(counts, margin, alpha, margin, "superiority");

    private static MarginTestResult Run(PairedCounts counts, double margin, double alpha, double boundary, string hypothesis)
    {
        ArgumentNullException.ThrowIfNull(counts);
        counts.Validate();
        if (!(margin >= 0.0 && margin < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "Margin must lie in [0, 1).");
        }

        if (!(alpha > 0.0 && alpha < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "One-sided alpha must lie in (0, 0.5).");
        }

        if (counts.N == 0)
        {
            throw new ArgumentException("A margin test needs at least one paired item.", nameof(counts));
        }

        double delta = (double)(counts.OnlyFirstCorrect - counts.OnlySecondCorrect) / counts.N;
        double statistic = PairedDifference.TangoStatistic(counts, boundary);
        double p = Distributions.NormalSurvival(statistic);
        double z = Distributions.NormalQuantile(1.0 - alpha);
        double bound = PairedDifference.TangoBound(counts, z, delta, lower: true);
        string level = (alpha * 100.0).ToString("0.###", CultureInfo.InvariantCulture);
        return new MarginTestResult(
            hypothesis,
            margin,
            delta,
            bound,
            statistic,
            p,
            alpha,
            p < alpha,
            counts.N,
            $"Tango score test, one-sided alpha {level}%");
    }
}
