using MathNet.Numerics;

namespace ValidationLab.Statistics;

/// <summary>
/// Tests for differences between independent groups (e.g. accuracy across sites or subgroups):
/// two-proportion z test, Fisher's exact test (2×2) and Pearson's chi-square for r×c tables.
/// </summary>
public static class GroupTests
{
    /// <summary>
    /// Two-sided two-proportion z test with pooled variance (statsmodels <c>proportions_ztest</c>).
    /// When the pooled proportion is 0 or 1 the groups are identical: z = 0, p = 1.
    /// </summary>
    public static HypothesisTest TwoProportionZ(int successes1, int n1, int successes2, int n2)
    {
        CheckCount(successes1, n1);
        CheckCount(successes2, n2);
        if (n1 == 0 || n2 == 0)
        {
            throw new ArgumentException("Both groups need at least one observation.");
        }

        double p1 = (double)successes1 / n1, p2 = (double)successes2 / n2;
        double pooled = (double)(successes1 + successes2) / (n1 + n2);
        double variance = pooled * (1.0 - pooled) * ((1.0 / n1) + (1.0 / n2));
        if (variance <= 0.0)
        {
            return new HypothesisTest(0.0, 1.0, 0, "Two-proportion z test (pooled)");
        }

        double z = (p1 - p2) / Math.Sqrt(variance);
        return new HypothesisTest(z, Math.Min(1.0, 2.0 * Distributions.NormalSurvival(Math.Abs(z))), 0, "Two-proportion z test (pooled)");
    }

    /// <summary>
    /// Fisher's exact test on a 2×2 table [[a, b], [c, d]], two-sided as scipy <c>fisher_exact</c>: sums the
    /// hypergeometric probabilities of all tables no more likely than the observed one (relative tolerance 1e-7).
    /// Statistic is the sample odds ratio ad/(bc) (+∞ when bc = 0 &lt; ad; 1 when ad = bc = 0).
    /// </summary>
    public static HypothesisTest FisherExact(int a, int b, int c, int d)
    {
        foreach (int x in new[] { a, b, c, d })
        {
            Guard.NonNegative(x, "cell");
        }

        double ad = (double)a * d, bc = (double)b * c;
        double oddsRatio = bc == 0.0 ? (ad == 0.0 ? 1.0 : double.PositiveInfinity) : ad / bc;
        int row1 = a + b, col1 = a + c, n = a + b + c + d;
        int lo = Math.Max(0, row1 + col1 - n), hi = Math.Min(row1, col1);
        double logObserved = LogHypergeometric(a, row1, col1, n);
        double p = 0.0;
        for (int x = lo; x <= hi; x++)
        {
            double logP = LogHypergeometric(x, row1, col1, n);
            if (logP <= logObserved + Math.Log(1.0 + 1e-7))
            {
                p += Math.Exp(logP);
            }
        }

        return new HypothesisTest(oddsRatio, Math.Clamp(p, 0.0, 1.0), 0, "Fisher exact (two-sided)");
    }

    /// <summary>
    /// Pearson chi-square test of independence for an r×c table (scipy <c>chi2_contingency</c>); Yates'
    /// continuity correction is applied only to 2×2 tables and only when <paramref name="correction"/> is true.
    /// Throws <see cref="ArgumentException"/> if a row or column is empty (expected count 0).
    /// </summary>
    public static HypothesisTest ChiSquareIndependence(int[,] table, bool correction = true)
    {
        ArgumentNullException.ThrowIfNull(table);
        int r = table.GetLength(0), c = table.GetLength(1);
        if (r < 2 || c < 2)
        {
            throw new ArgumentException("The table needs at least 2 rows and 2 columns.", nameof(table));
        }

        double[] rows = new double[r], cols = new double[c];
        double total = 0.0;
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < c; j++)
            {
                Guard.NonNegative(table[i, j], nameof(table));
                rows[i] += table[i, j];
                cols[j] += table[i, j];
                total += table[i, j];
            }
        }

        if (rows.Any(x => x == 0.0) || cols.Any(x => x == 0.0))
        {
            throw new ArgumentException("Every row and column needs at least one observation (an expected count is zero).", nameof(table));
        }

        int dof = (r - 1) * (c - 1);
        bool yates = correction && dof == 1;
        double statistic = 0.0;
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < c; j++)
            {
                double expected = rows[i] * cols[j] / total;
                double diff = table[i, j] - expected;
                if (yates)
                {
                    // scipy: shrink |O − E| by 0.5 but not past zero.
                    diff = Math.Sign(diff) * Math.Max(0.0, Math.Abs(diff) - 0.5);
                }

                statistic += diff * diff / expected;
            }
        }

        string method = yates ? "Pearson chi-square (Yates corrected)" : "Pearson chi-square";
        return new HypothesisTest(statistic, Distributions.ChiSquareSurvival(statistic, dof), dof, method);
    }

    private static double LogHypergeometric(int x, int row1, int col1, int n) =>
        SpecialFunctions.FactorialLn(row1) + SpecialFunctions.FactorialLn(n - row1) + SpecialFunctions.FactorialLn(col1) + SpecialFunctions.FactorialLn(n - col1)
        - SpecialFunctions.FactorialLn(n) - SpecialFunctions.FactorialLn(x) - SpecialFunctions.FactorialLn(row1 - x) - SpecialFunctions.FactorialLn(col1 - x)
        - SpecialFunctions.FactorialLn(n - row1 - col1 + x);

    private static void CheckCount(int successes, int n)
    {
        Guard.NonNegative(n, nameof(n));
        if (successes < 0 || successes > n)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, "Successes must lie in [0, n].");
        }
    }
}
