using MathNet.Numerics.Distributions;

namespace ValidationLab.Statistics;

/// <summary>
/// Confidence intervals for a single binomial proportion (for example the accuracy of one model).
/// Wilson is the recommended default: it behaves well near 0 and 1 and for small n, unlike the Wald interval.
/// </summary>
public static class Proportions
{
    /// <summary>
    /// Wilson score interval (as statsmodels <c>proportion_confint(method="wilson")</c>).
    /// For n = 0 nothing is known: returns Value 0, Low 0, High 1, N 0 instead of NaN.
    /// </summary>
    /// <param name="successes">Number of successes, 0 ≤ successes ≤ n.</param>
    /// <param name="n">Number of trials.</param>
    /// <param name="level">Two-sided confidence level, default 0.95.</param>
    public static Estimate Wilson(int successes, int n, double level = 0.95)
    {
        Check(successes, n, level);
        string method = $"Wilson {Guard.Percent(level)} CI";
        if (n == 0)
        {
            return new Estimate(0.0, 0.0, 1.0, 0, method);
        }

        double z = Normal.InvCDF(0.0, 1.0, 1.0 - ((1.0 - level) / 2.0));
        double p = (double)successes / n;
        double z2 = z * z;
        double denominator = 1.0 + (z2 / n);
        double centre = (p + (z2 / (2.0 * n))) / denominator;
        double half = z * Math.Sqrt((p * (1.0 - p) / n) + (z2 / (4.0 * n * (double)n))) / denominator;
        double low = successes == 0 ? 0.0 : Math.Max(0.0, centre - half);
        double high = successes == n ? 1.0 : Math.Min(1.0, centre + half);
        return new Estimate(p, low, high, n, method);
    }

    /// <summary>
    /// Clopper–Pearson "exact" interval from beta quantiles (as statsmodels <c>proportion_confint(method="beta")</c>).
    /// Conservative: coverage is at least the nominal level. For n = 0 returns Value 0, Low 0, High 1, N 0.
    /// </summary>
    public static Estimate ClopperPearson(int successes, int n, double level = 0.95)
    {
        Check(successes, n, level);
        string method = $"Clopper-Pearson {Guard.Percent(level)} CI";
        if (n == 0)
        {
            return new Estimate(0.0, 0.0, 1.0, 0, method);
        }

        double alpha = 1.0 - level;
        double low = successes == 0 ? 0.0 : Beta.InvCDF(successes, n - successes + 1, alpha / 2.0);
        double high = successes == n ? 1.0 : Beta.InvCDF(successes + 1, n - successes, 1.0 - (alpha / 2.0));
        return new Estimate((double)successes / n, low, high, n, method);
    }

    private static void Check(int successes, int n, double level)
    {
        Guard.NonNegative(n, nameof(n));
        if (successes < 0 || successes > n)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, "Successes must lie in [0, n].");
        }

        Guard.Level(level);
    }
}
