using MathNet.Numerics;

namespace ValidationLab.Statistics;

/// <summary>
/// Exact binomial variates in O(1) expected time: inversion for small n·p and Hörmann's (1993) BTRS
/// transformed-rejection otherwise. Used for multinomial resampling of cell counts.
/// </summary>
internal static class BinomialSampler
{
    public static int Sample(SeededRandom rng, int n, double p)
    {
        if (n <= 0 || p <= 0.0)
        {
            return 0;
        }

        if (p >= 1.0)
        {
            return n;
        }

        if (p > 0.5)
        {
            return n - Sample(rng, n, 1.0 - p);
        }

        return n * p < 10.0 ? Inversion(rng, n, p) : Btrs(rng, n, p);
    }

    /// <summary>Multinomial draw of <paramref name="n"/> over cell probabilities by sequential conditional binomials.</summary>
    public static void Multinomial(SeededRandom rng, int n, ReadOnlySpan<double> probabilities, Span<int> counts)
    {
        int remaining = n;
        double remainingMass = 1.0;
        for (int k = 0; k < probabilities.Length - 1; k++)
        {
            double conditional = remainingMass <= 0.0 ? 0.0 : Math.Min(1.0, probabilities[k] / remainingMass);
            int draw = Sample(rng, remaining, conditional);
            counts[k] = draw;
            remaining -= draw;
            remainingMass -= probabilities[k];
        }

        counts[probabilities.Length - 1] = remaining;
    }

    private static int Inversion(SeededRandom rng, int n, double p)
    {
        double q = 1.0 - p;
        double s = p / q;
        double a = (n + 1) * s;
        double r = Math.Pow(q, n);
        double u = rng.NextDouble();
        int x = 0;
        while (u > r)
        {
            u -= r;
            x++;
            if (x > n)
            {
                // Floating-point exhaustion: restart with a fresh uniform (probability ~1e-16).
                x = 0;
                r = Math.Pow(q, n);
                u = rng.NextDouble();
                continue;
            }

            r *= (a / x) - s;
        }

        return x;
    }

    private static int Btrs(SeededRandom rng, int n, double p)
    {
        double q = 1.0 - p;
        double spq = Math.Sqrt(n * p * q);
        double b = 1.15 + (2.53 * spq);
        double a = -0.0873 + (0.0248 * b) + (0.01 * p);
        double c = (n * p) + 0.5;
        double vr = 0.92 - (4.2 / b);
        double alpha = (2.83 + (5.1 / b)) * spq;
        double lpq = Math.Log(p / q);
        int m = (int)Math.Floor((n + 1) * p);
        double h = SpecialFunctions.GammaLn(m + 1) + SpecialFunctions.GammaLn(n - m + 1);
        while (true)
        {
            double u = rng.NextDouble() - 0.5;
            double v = rng.NextDouble();
            double us = 0.5 - Math.Abs(u);
            double kd = Math.Floor((((2.0 * a) / us) + b) * u + c);
            if (kd < 0 || kd > n)
            {
                continue;
            }

            int k = (int)kd;
            if (us >= 0.07 && v <= vr)
            {
                return k;
            }

            v = Math.Log(v * alpha / ((a / (us * us)) + b));
            if (v <= h - SpecialFunctions.GammaLn(k + 1) - SpecialFunctions.GammaLn(n - k + 1) + ((k - m) * lpq))
            {
                return k;
            }
        }
    }
}
