using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace ValidationLab.Statistics;

/// <summary>Tail probabilities computed without cancellation (upper tails via regularized gamma / erfc).</summary>
internal static class Distributions
{
    /// <summary>P(X ≥ x) for X ~ chi-square(df), accurate for tiny p-values.</summary>
    public static double ChiSquareSurvival(double x, double df)
    {
        if (x <= 0.0)
        {
            return 1.0;
        }

        return SpecialFunctions.GammaUpperRegularized(df / 2.0, x / 2.0);
    }

    /// <summary>Standard normal upper tail P(Z ≥ z) via erfc (accurate far in the tail).</summary>
    public static double NormalSurvival(double z) => 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2.0));

    /// <summary>Standard normal CDF.</summary>
    public static double NormalCdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2.0));

    /// <summary>Standard normal quantile.</summary>
    public static double NormalQuantile(double p) => Normal.InvCDF(0.0, 1.0, p);

    /// <summary>Two-sided critical value z_{1-(1-level)/2}.</summary>
    public static double TwoSidedZ(double level) => NormalQuantile(1.0 - ((1.0 - level) / 2.0));
}
