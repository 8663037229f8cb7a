using MathNet.Numerics.Distributions;

namespace ValidationLab.Statistics;

/// <summary>
/// McNemar tests for paired binary outcomes (two models scored on the same items). Only the discordant
/// counts matter: <c>b</c> = items the first model got right and the second wrong, <c>c</c> = the reverse.
/// Conventions follow statsmodels <c>statsmodels.stats.contingency_tables.mcnemar</c>.
/// </summary>
public static class McNemar
{
    /// <summary>
    /// Exact (conditional binomial) McNemar test: two-sided p = min(1, 2·P(X ≤ min(b,c))), X ~ Bin(b+c, ½).
    /// Recommended when b + c is small. With b = c = 0 there is no evidence of a difference: p = 1.
    /// </summary>
    public static McNemarResult Exact(int b, int c)
    {
        Check(b, c);
        int n = b + c;
        int k = Math.Min(b, c);
        double p = n == 0 ? 1.0 : Math.Min(1.0, 2.0 * Binomial.CDF(0.5, n, k));
        return new McNemarResult(k, p, b, c, "McNemar exact");
    }

    /// <summary>
    /// Mid-p McNemar test: the exact p-value minus the point probability of the observed min(b,c)
    /// (Fagerland, Lydersen &amp; Laake 2013). Less conservative than the exact test, close to nominal size.
    /// </summary>
    public static McNemarResult MidP(int b, int c)
    {
        Check(b, c);
        int n = b + c;
        int k = Math.Min(b, c);
        // Mid-p = 2·P(X <= k) - P(X = k); by symmetry this equals 1 exactly when b = c.
        double p = n == 0 ? 1.0 : (2.0 * Binomial.CDF(0.5, n, k)) - Binomial.PMF(0.5, n, k);
        return new McNemarResult(k, Math.Clamp(p, 0.0, 1.0), b, c, "McNemar mid-p");
    }

    /// <summary>
    /// Asymptotic chi-square McNemar test with 1 degree of freedom: (|b−c| − 1)²/(b+c) with continuity
    /// correction, (b−c)²/(b+c) without (statsmodels <c>mcnemar(exact=False, correction=...)</c>).
    /// With b = c = 0 the statistic is defined as 0 and p = 1 (statsmodels would give NaN).
    /// </summary>
    public static McNemarResult ChiSquare(int b, int c, bool correction = true)
    {
        Check(b, c);
        string method = correction ? "McNemar chi-square (continuity corrected)" : "McNemar chi-square";
        int n = b + c;
        if (n == 0)
        {
            return new McNemarResult(0.0, 1.0, b, c, method);
        }

        double diff = Math.Abs(b - c);
        if (correction)
        {
            diff -= 1.0;
        }

        double statistic = diff * diff / n;
        double p = Distributions.ChiSquareSurvival(statistic, 1);
        return new McNemarResult(statistic, p, b, c, method);
    }

    private static void Check(int b, int c)
    {
        Guard.NonNegative(b, nameof(b));
        Guard.NonNegative(c, nameof(c));
    }
}
