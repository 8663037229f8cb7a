namespace ValidationLab.Statistics;

/// <summary>
/// Calibration of predicted probabilities against binary outcomes: Brier score, expected calibration error
/// (equal-width or equal-count bins), reliability-diagram bins, and calibration intercept and slope by
/// logistic recalibration (Newton/IRLS). Hosmer–Lemeshow is deliberately not offered (bin-dependent,
/// low power, discouraged for model validation).
/// </summary>
public static class Calibration
{
    /// <summary>Probabilities are clipped to [Epsilon, 1 − Epsilon] before taking logits.</summary>
    public const double Epsilon = 1e-12;

    /// <summary>Brier score: mean squared difference between probability and outcome (sklearn <c>brier_score_loss</c>).</summary>
    public static double Brier(double[] probabilities, bool[] outcomes)
    {
        Check(probabilities, outcomes);
        double sum = 0.0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            double e = probabilities[i] - (outcomes[i] ? 1.0 : 0.0);
            sum += e * e;
        }

        return sum / probabilities.Length;
    }

    /// <summary>ECE = Σ_bins (n_b/N)·|observed rate − mean predicted|.</summary>
    public static double ExpectedCalibrationError(double[] probabilities, bool[] outcomes, int bins = 10, CalibrationBinning binning = CalibrationBinning.EqualWidth)
    {
        IReadOnlyList<ReliabilityBin> table = ReliabilityBins(probabilities, outcomes, bins, binning);
        double ece = 0.0;
        foreach (ReliabilityBin bin in table)
        {
            ece += (double)bin.Count / probabilities.Length * Math.Abs(bin.ObservedFrequency - bin.MeanPredicted);
        }

        return ece;
    }

    /// <summary>Reliability-diagram bins (count, mean prediction, observed rate) for <paramref name="bins"/> bins.</summary>
    public static IReadOnlyList<ReliabilityBin> ReliabilityBins(double[] probabilities, bool[] outcomes, int bins = 10, CalibrationBinning binning = CalibrationBinning.EqualWidth)
    {
        Check(probabilities, outcomes);
        if (bins < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "Need at least one bin.");
        }

        int n = probabilities.Length;
        int[] binOf = new int[n];
        if (binning == CalibrationBinning.EqualWidth)
        {
            for (int i = 0; i < n; i++)
            {
                binOf[i] = Math.Min((int)(probabilities[i] * bins), bins - 1);
            }
        }
        else
        {
            int[] order = Enumerable.Range(0, n).ToArray();
            double[] keys = (double[])probabilities.Clone();
            Array.Sort(keys, order); // Array.Sort is unstable: restore index order within ties (stable, as numpy kind="stable")
            StableTies(keys, order);
            int position = 0;
            for (int b = 0; b < bins; b++)
            {
                int size = (n / bins) + (b < n % bins ? 1 : 0);
                for (int k = 0; k < size; k++)
                {
                    binOf[order[position++]] = b;
                }
            }
        }

        int[] count = new int[bins];
        double[] sumP = new double[bins], sumY = new double[bins];
        double[] min = Enumerable.Repeat(double.PositiveInfinity, bins).ToArray();
        double[] max = Enumerable.Repeat(double.NegativeInfinity, bins).ToArray();
        for (int i = 0; i < n; i++)
        {
            int b = binOf[i];
            count[b]++;
            sumP[b] += probabilities[i];
            sumY[b] += outcomes[i] ? 1.0 : 0.0;
            min[b] = Math.Min(min[b], probabilities[i]);
            max[b] = Math.Max(max[b], probabilities[i]);
        }

        var result = new ReliabilityBin[bins];
        for (int b = 0; b < bins; b++)
        {
            bool equalWidth = binning == CalibrationBinning.EqualWidth;
            double lower = equalWidth ? (double)b / bins : count[b] == 0 ? 0.0 : min[b];
            double upper = equalWidth ? (double)(b + 1) / bins : count[b] == 0 ? 0.0 : max[b];
            result[b] = count[b] == 0
                ? new ReliabilityBin(b, 0, 0.0, 0.0, lower, upper)
                : new ReliabilityBin(b, count[b], sumP[b] / count[b], sumY[b] / count[b], lower, upper);
        }

        return result;
    }

    /// <summary>
    /// Calibration intercept and slope by maximum likelihood (Newton/IRLS, as statsmodels GLM Binomial):
    /// intercept from logit P(y) = a + offset(logit p); slope from logit P(y) = a' + b·logit p.
    /// Requires both outcome classes; throws <see cref="ArgumentException"/> if the fit does not converge
    /// (e.g. perfect separation).
    /// </summary>
    public static CalibrationFit InterceptAndSlope(double[] probabilities, bool[] outcomes, double level = 0.95)
    {
        Check(probabilities, outcomes);
        Guard.Level(level);
        int events = outcomes.Count(o => o);
        if (events == 0 || events == outcomes.Length)
        {
            throw new ArgumentException("Calibration intercept and slope need both outcome classes.", nameof(outcomes));
        }

        int n = probabilities.Length;
        double[] x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double p = Math.Clamp(probabilities[i], Epsilon, 1.0 - Epsilon);
            x[i] = Math.Log(p / (1.0 - p));
        }

        double z = Distributions.TwoSidedZ(level);
        string pct = Guard.Percent(level);

        // Intercept with offset: one-parameter Newton.
        double a = 0.0;
        bool converged = false;
        for (int it = 0; it < 100 && !converged; it++)
        {
            double g = 0.0, h = 0.0;
            for (int i = 0; i < n; i++)
            {
                double mu = Sigmoid(a + x[i]);
                g += (outcomes[i] ? 1.0 : 0.0) - mu;
                h += mu * (1.0 - mu);
            }

            double step = g / h;
            a += step;
            converged = Math.Abs(step) < 1e-13 * Math.Max(1.0, Math.Abs(a));
        }

        Converged(converged);
        double seA = 1.0 / Math.Sqrt(Information(x, a, 1.0, offset: true).H00);
        var intercept = new Estimate(a, a - (z * seA), a + (z * seA), n, $"Calibration intercept (logistic, slope fixed at 1), Wald {pct} CI");

        // Slope model: two-parameter Newton from the perfectly calibrated start (0, 1).
        double b0 = 0.0, b1 = 1.0;
        int iterations = 0;
        converged = false;
        while (iterations < 100 && !converged)
        {
            iterations++;
            double g0 = 0.0, g1 = 0.0, h00 = 0.0, h01 = 0.0, h11 = 0.0;
            for (int i = 0; i < n; i++)
            {
                double mu = Sigmoid(b0 + (b1 * x[i]));
                double r = (outcomes[i] ? 1.0 : 0.0) - mu;
                double w = mu * (1.0 - mu);
                g0 += r;
                g1 += r * x[i];
                h00 += w;
                h01 += w * x[i];
                h11 += w * x[i] * x[i];
            }

            double det = (h00 * h11) - (h01 * h01);
            if (!(det > 0.0) || !double.IsFinite(det))
            {
                break;
            }

            double s0 = ((h11 * g0) - (h01 * g1)) / det;
            double s1 = ((h00 * g1) - (h01 * g0)) / det;
            b0 += s0;
            b1 += s1;
            converged = Math.Abs(s0) + Math.Abs(s1) < 1e-13 * Math.Max(1.0, Math.Abs(b0) + Math.Abs(b1));
        }

        Converged(converged && double.IsFinite(b1));
        var info = Information(x, b0, b1, offset: false);
        double detInfo = (info.H00 * info.H11) - (info.H01 * info.H01);
        double seB = Math.Sqrt(info.H00 / detInfo);
        var slope = new Estimate(b1, b1 - (z * seB), b1 + (z * seB), n, $"Calibration slope (logistic recalibration), Wald {pct} CI");
        return new CalibrationFit(intercept, slope, b0, iterations);
    }

    private static (double H00, double H01, double H11) Information(double[] x, double b0, double b1, bool offset)
    {
        double h00 = 0.0, h01 = 0.0, h11 = 0.0;
        foreach (double xi in x)
        {
            double mu = Sigmoid(b0 + ((offset ? 1.0 : b1) * xi));
            double w = mu * (1.0 - mu);
            h00 += w;
            h01 += w * xi;
            h11 += w * xi * xi;
        }

        return (h00, h01, h11);
    }

    private static void Converged(bool converged)
    {
        if (!converged)
        {
            throw new ArgumentException("Logistic recalibration did not converge (outcomes may be perfectly separated by the predictions).");
        }
    }

    private static void StableTies(double[] sortedKeys, int[] order)
    {
        for (int start = 0; start < sortedKeys.Length;)
        {
            int end = start + 1;
            while (end < sortedKeys.Length && sortedKeys[end] == sortedKeys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start);
            }

            start = end;
        }
    }

    private static double Sigmoid(double t) => t >= 0 ? 1.0 / (1.0 + Math.Exp(-t)) : Math.Exp(t) / (1.0 + Math.Exp(t));

    private static void Check(double[] probabilities, bool[] outcomes)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(outcomes);
        Guard.SameLength(probabilities.Length, outcomes.Length, nameof(probabilities), nameof(outcomes));
        if (probabilities.Length == 0)
        {
            throw new ArgumentException("Need at least one prediction.", nameof(probabilities));
        }

        foreach (double p in probabilities)
        {
            Guard.Probability(p, nameof(probabilities));
        }
    }
}
