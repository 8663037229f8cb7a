namespace ValidationLab.Statistics;

/// <summary>
/// Confidence intervals for the difference in accuracy between two models scored on the same items,
/// Δ = p(A correct) − p(B correct) = (b − c)/n. Both methods respect the pairing (unlike two independent
/// Wilson intervals) and stay inside [−1, 1].
/// </summary>
public static class PairedDifference
{
    /// <summary>
    /// Newcombe (1998) method 10: hybrid score interval combining the two Wilson intervals of the marginal
    /// accuracies with the phi correlation of the paired table (no continuity correction).
    /// When a margin is empty phi is taken as 0. For n = 0 returns Value 0, Low −1, High 1.
    /// </summary>
    public static Estimate Newcombe(PairedCounts counts, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(counts);
        counts.Validate();
        Guard.Level(level);
        string method = $"Newcombe paired (method 10) {Guard.Percent(level)} CI";
        int n = counts.N;
        if (n == 0)
        {
            return new Estimate(0.0, -1.0, 1.0, 0, method);
        }

        double a = counts.BothCorrect, b = counts.OnlyFirstCorrect, c = counts.OnlySecondCorrect, d = counts.BothWrong;
        Estimate first = Proportions.Wilson(counts.BothCorrect + counts.OnlyFirstCorrect, n, level);
        Estimate second = Proportions.Wilson(counts.BothCorrect + counts.OnlySecondCorrect, n, level);
        double marginProduct = (a + b) * (c + d) * (a + c) * (b + d);
        double phi = marginProduct == 0.0 ? 0.0 : ((a * d) - (b * c)) / Math.Sqrt(marginProduct);
        double p1 = first.Value, p2 = second.Value;
        double delta = p1 - p2;
        double lowSq = Square(p1 - first.Low) - (2.0 * phi * (p1 - first.Low) * (second.High - p2)) + Square(second.High - p2);
        double highSq = Square(first.High - p1) - (2.0 * phi * (first.High - p1) * (p2 - second.Low)) + Square(p2 - second.Low);
        double low = delta - Math.Sqrt(Math.Max(0.0, lowSq));
        double high = delta + Math.Sqrt(Math.Max(0.0, highSq));
        return new Estimate(delta, Math.Max(-1.0, low), Math.Min(1.0, high), n, method);
    }

    /// <summary>
    /// Tango (1998) score interval: the set of Δ0 not rejected by the two-sided score test
    /// Z(Δ0) = (b − c − nΔ0)/√(n(2q̃ + Δ0(1 − Δ0))), with q̃ the restricted MLE of P(A wrong, B correct).
    /// Found by bisection (to 1e-12). For n = 0 returns Value 0, Low −1, High 1.
    /// </summary>
    public static Estimate Tango(PairedCounts counts, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(counts);
        counts.Validate();
        Guard.Level(level);
        string method = $"Tango score {Guard.Percent(level)} CI";
        int n = counts.N;
        if (n == 0)
        {
            return new Estimate(0.0, -1.0, 1.0, 0, method);
        }

        double z = Distributions.TwoSidedZ(level);
        double delta = (double)(counts.OnlyFirstCorrect - counts.OnlySecondCorrect) / n;
        double low = TangoBound(counts, z, delta, lower: true);
        double high = TangoBound(counts, z, delta, lower: false);
        return new Estimate(delta, low, high, n, method);
    }

    /// <summary>
    /// Tango's score statistic for H0: Δ = <paramref name="delta0"/>; positive when the observed difference exceeds Δ0.
    /// Reduces to the uncorrected McNemar z = (b − c)/√(b + c) at Δ0 = 0.
    /// </summary>
    public static double TangoStatistic(PairedCounts counts, double delta0)
    {
        ArgumentNullException.ThrowIfNull(counts);
        counts.Validate();
        if (!(delta0 > -1.0 && delta0 < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(delta0), delta0, "Delta0 must lie strictly between -1 and 1.");
        }

        double n = counts.N;
        double b = counts.OnlyFirstCorrect, c = counts.OnlySecondCorrect;
        double numerator = b - c - (n * delta0);
        if (n == 0)
        {
            return 0.0;
        }

        // Restricted MLE of q = P(cell c) under p_b - p_c = delta0: root of 2n q² + B q + C = 0.
        double bq = -b - c + (((2.0 * n) - b + c) * delta0);
        double cq = -c * delta0 * (1.0 - delta0);
        double q = (Math.Sqrt(Math.Max(0.0, (bq * bq) - (8.0 * n * cq))) - bq) / (4.0 * n);
        double variance = n * ((2.0 * q) + (delta0 * (1.0 - delta0)));
        if (variance <= 0.0)
        {
            // Only possible when b = c = 0 and delta0 = 0: no discordant evidence either way.
            return numerator == 0.0 ? 0.0 : Math.Sign(numerator) * double.MaxValue;
        }

        return numerator / Math.Sqrt(variance);
    }

    /// <summary>One bound of the Tango interval at critical value z (one-sided bound when z = z_{1−α}).</summary>
    internal static double TangoBound(PairedCounts counts, double z, double delta, bool lower)
    {
        // Z(d) decreases in d. Lower bound: smallest d with Z(d) <= z; upper: largest d with Z(d) >= -z.
        double lo, hi;
        if (lower)
        {
            lo = -1.0;
            hi = delta;
            if (Z(lo) <= z)
            {
                return -1.0;
            }
        }
        else
        {
            lo = delta;
            hi = 1.0;
            if (Z(hi) >= -z)
            {
                return 1.0;
            }
        }

        for (int i = 0; i < 200 && hi - lo > 1e-13; i++)
        {
            double mid = 0.5 * (lo + hi);
            bool inside = lower ? Z(mid) <= z : Z(mid) >= -z;
            if (lower == inside)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return 0.5 * (lo + hi);

        double Z(double d) => d <= -1.0 ? TangoStatistic(counts, -1.0 + 1e-15) : d >= 1.0 ? TangoStatistic(counts, 1.0 - 1e-15) : TangoStatistic(counts, d);
    }

    private static double Square(double x) => x * x;
}
