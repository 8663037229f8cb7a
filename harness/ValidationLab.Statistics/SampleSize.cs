namespace ValidationLab.Statistics;

/// <summary>
/// Planning a paired accuracy comparison analysed with McNemar's test, using Connor's (1987) normal
/// approximation: n = (z_{1−α/2}·√ψ + z_{1−β}·√(ψ − Δ²))² / Δ², with ψ the discordant proportion and Δ the
/// accuracy difference. A pilot or prior run supplies ψ (e.g. (b + c)/n).
/// </summary>
public static class SampleSize
{
    private const string Method = "McNemar, Connor (1987)";

    /// <summary>Paired items needed to detect difference Δ with the given power (rounded up).</summary>
    public static PowerPlan PairedAccuracyRequiredN(double discordantProportion, double difference, double alpha = 0.05, double power = 0.8)
    {
        Check(discordantProportion, alpha, power);
        double delta = Math.Abs(difference);
        if (!(delta > 0.0) || delta > discordantProportion)
        {
            throw new ArgumentOutOfRangeException(nameof(difference), difference, "|difference| must be > 0 and cannot exceed the discordant proportion.");
        }

        double n = ContinuousN(discordantProportion, delta, alpha, power);
        return new PowerPlan((int)Math.Ceiling(n - 1e-9), difference, discordantProportion, alpha, power, Method);
    }

    /// <summary>
    /// Minimum detectable |Δ| with <paramref name="n"/> paired items (inverse of <see cref="PairedAccuracyRequiredN"/>,
    /// solved by bisection). Throws <see cref="ArgumentException"/> if even Δ = ψ is not detectable with n items.
    /// </summary>
    public static PowerPlan PairedAccuracyMinimumDetectableDifference(int n, double discordantProportion, double alpha = 0.05, double power = 0.8)
    {
        Check(discordantProportion, alpha, power);
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive.");
        }

        if (ContinuousN(discordantProportion, discordantProportion, alpha, power) > n)
        {
            throw new ArgumentException($"{n} paired items cannot detect any difference up to the discordant proportion {discordantProportion} at this alpha and power.", nameof(n));
        }

        double lo = 1e-12, hi = discordantProportion;
        for (int i = 0; i < 200 && hi - lo > 1e-14; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (ContinuousN(discordantProportion, mid, alpha, power) > n)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return new PowerPlan(n, hi, discordantProportion, alpha, power, Method);
    }

    internal static double ContinuousN(double psi, double delta, double alpha, double power)
    {
        double za = Distributions.NormalQuantile(1.0 - (alpha / 2.0));
        double zb = Distributions.NormalQuantile(power);
        double t = (za * Math.Sqrt(psi)) + (zb * Math.Sqrt(Math.Max(0.0, psi - (delta * delta))));
        return t * t / (delta * delta);
    }

    private static void Check(double psi, double alpha, double power)
    {
        if (!(psi > 0.0 && psi <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(psi), psi, "Discordant proportion must lie in (0, 1].");
        }

        if (!(alpha > 0.0 && alpha < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must lie in (0, 1).");
        }

        if (!(power > 0.5 && power < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(power), power, "Power must lie in (0.5, 1).");
        }
    }
}
