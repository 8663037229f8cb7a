namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>
/// Brier score and logistic-recalibration intercept and slope with frequency weights, as
/// <see cref="WeightedStatistic"/>s for the cluster bootstrap. With all weights 1 they equal
/// <see cref="Calibration.Brier"/> and <see cref="Calibration.InterceptAndSlope"/>; with resample multiplicities they
/// equal statsmodels GLM Binomial with <c>freq_weights</c> (the fit on the expanded resample). A resample on which
/// the fit is undefined (one outcome class, separation, no convergence) gives NaN and is dropped and counted.
/// </summary>
public static class WeightedCalibration
{
    /// <summary>Weighted mean of (p − y)².</summary>
    public static WeightedStatistic Brier(double[] probabilities, bool[] outcomes)
    {
        Check(probabilities, outcomes);
        return weights =>
        {
            double sum = 0.0;
            long total = 0;
            for (int i = 0; i < probabilities.Length; i++)
            {
                double e = probabilities[i] - (outcomes[i] ? 1.0 : 0.0);
                sum += weights[i] * e * e;
                total += weights[i];
            }

            return total == 0 ? double.NaN : sum / total;
        };
    }

    /// <summary>Calibration intercept a of logit P(y) = a + logit(p) (calibration-in-the-large; 0 is perfect).</summary>
    public static WeightedStatistic Intercept(double[] probabilities, bool[] outcomes)
    {
        var groups = LogitGroups.From(Logits(probabilities, outcomes), outcomes);
        return weights => groups.Fit(weights, FitIntercept);
    }

    /// <summary>Calibration slope b of logit P(y) = a' + b·logit(p) (1 is perfect; below 1, predictions too extreme).</summary>
    public static WeightedStatistic Slope(double[] probabilities, bool[] outcomes)
    {
        var groups = LogitGroups.From(Logits(probabilities, outcomes), outcomes);
        return weights => groups.Fit(weights, FitSlope);
    }

    private static double FitIntercept(double[] x, bool[] y, ReadOnlySpan<double> weights)
    {
        if (!BothClasses(y, weights))
        {
            return double.NaN;
        }

        double a = 0.0;
        for (int it = 0; it < 100; it++)
        {
            double g = 0.0, h = 0.0;
            for (int i = 0; i < x.Length; i++)
            {
                if (weights[i] == 0.0)
                {
                    continue;
                }

                double mu = Sigmoid(a + x[i]);
                g += weights[i] * ((y[i] ? 1.0 : 0.0) - mu);
                h += weights[i] * mu * (1.0 - mu);
            }

            double step = g / h;
            a += step;
            if (!double.IsFinite(a))
            {
                return double.NaN;
            }

            if (Math.Abs(step) < 1e-13 * Math.Max(1.0, Math.Abs(a)))
            {
                return a;
            }
        }

        return double.NaN;
    }

    private static double FitSlope(double[] x, bool[] y, ReadOnlySpan<double> weights)
    {
        if (!BothClasses(y, weights))
        {
            return double.NaN;
        }

        // Newton from the perfectly calibrated start (0, 1), as Calibration.InterceptAndSlope.
        double b0 = 0.0, b1 = 1.0;
        for (int it = 0; it < 100; it++)
        {
            double g0 = 0.0, g1 = 0.0, h00 = 0.0, h01 = 0.0, h11 = 0.0;
            for (int i = 0; i < x.Length; i++)
            {
                double w = weights[i];
                if (w == 0.0)
                {
                    continue;
                }

                double mu = Sigmoid(b0 + (b1 * x[i]));
                double r = w * ((y[i] ? 1.0 : 0.0) - mu);
                double v = w * mu * (1.0 - mu);
                g0 += r;
                g1 += r * x[i];
                h00 += v;
                h01 += v * x[i];
                h11 += v * x[i] * x[i];
            }

            double det = (h00 * h11) - (h01 * h01);
            if (!(det > 0.0) || !double.IsFinite(det))
            {
                return double.NaN;
            }

            double s0 = ((h11 * g0) - (h01 * g1)) / det;
            double s1 = ((h00 * g1) - (h01 * g0)) / det;
            b0 += s0;
            b1 += s1;
            if (!double.IsFinite(b1))
            {
                return double.NaN;
            }

            if (Math.Abs(s0) + Math.Abs(s1) < 1e-13 * Math.Max(1.0, Math.Abs(b0) + Math.Abs(b1)))
            {
                return b1;
            }
        }

        return double.NaN;
    }

    private static bool BothClasses(bool[] y, ReadOnlySpan<double> weights)
    {
        bool events = false, nonEvents = false;
        for (int i = 0; i < y.Length && !(events && nonEvents); i++)
        {
            if (weights[i] > 0.0)
            {
                events |= y[i];
                nonEvents |= !y[i];
            }
        }

        return events && nonEvents;
    }

    private static double[] Logits(double[] probabilities, bool[] outcomes)
    {
        Check(probabilities, outcomes);
        double[] x = new double[probabilities.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double p = Math.Clamp(probabilities[i], Calibration.Epsilon, 1.0 - Calibration.Epsilon);
            x[i] = Math.Log(p / (1.0 - p));
        }

        return x;
    }

    private static double Sigmoid(double t) => t >= 0 ? 1.0 / (1.0 + Math.Exp(-t)) : Math.Exp(t) / (1.0 + Math.Exp(t));

    private static void Check(double[] probabilities, bool[] outcomes)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(outcomes);
        Guard.SameLength(probabilities.Length, outcomes.Length, nameof(probabilities), nameof(outcomes));
        foreach (double p in probabilities)
        {
            Guard.Probability(p, nameof(probabilities));
        }
    }
}
