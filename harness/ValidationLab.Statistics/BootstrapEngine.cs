namespace ValidationLab.Statistics;

/// <summary>Runs resamples in fixed-size chunks (one RNG stream per chunk) and turns replicates into intervals.</summary>
internal static class BootstrapEngine
{
    internal const int ChunkSize = 64;

    /// <summary>Computes <paramref name="replicates"/>[r] = statistic(resample r) in parallel, deterministically.</summary>
    public static void Replicate(ResamplingDesign design, WeightedStatistic statistic, BootstrapOptions options, double[] replicates)
    {
        int chunks = (options.Resamples + ChunkSize - 1) / ChunkSize;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount };
        Parallel.For(
            0,
            chunks,
            parallel,
            () => (Weights: new int[design.Items], Units: new int[design.Units]),
            (chunk, _, buffers) =>
            {
                var rng = new SeededRandom(options.Seed, (ulong)chunk);
                int end = Math.Min(options.Resamples, (chunk + 1) * ChunkSize);
                for (int r = chunk * ChunkSize; r < end; r++)
                {
                    design.Draw(rng, buffers.Weights, buffers.Units);
                    replicates[r] = statistic(buffers.Weights);
                }

                return buffers;
            },
            _ => { });
    }

    /// <summary>Summarises replicates into a <see cref="BootstrapResult"/> (percentile or BCa).</summary>
    public static BootstrapResult Summarise(
        double pointEstimate,
        double[] replicates,
        BootstrapOptions options,
        string scheme,
        int n,
        Func<double>? acceleration)
    {
        double[] valid = replicates.Where(x => !double.IsNaN(x)).ToArray();
        int invalid = replicates.Length - valid.Length;
        if (valid.Length < 2)
        {
            throw new ArgumentException($"The statistic was undefined (NaN) on {invalid} of {replicates.Length} resamples; no interval can be formed.");
        }

        Array.Sort(valid);
        double mean = valid.Average();
        double variance = valid.Sum(x => (x - mean) * (x - mean)) / (valid.Length - 1);
        double alpha = (1.0 - options.Level) / 2.0;
        double lowQ = alpha, highQ = 1.0 - alpha;
        string kind = "percentile";
        if (options.Interval == BootstrapInterval.BCa)
        {
            kind = "BCa";
            (lowQ, highQ) = BcaLevels(pointEstimate, valid, alpha, acceleration!());
        }

        double low = Quantile(valid, lowQ);
        double high = Quantile(valid, highQ);
        string method = $"{scheme}{kind} bootstrap {Guard.Percent(options.Level)} CI ({options.Resamples} resamples, seed {options.Seed})";
        method = char.ToUpperInvariant(method[0]) + method[1..];
        return new BootstrapResult(
            new Estimate(pointEstimate, low, high, n, method),
            Math.Sqrt(variance),
            mean - pointEstimate,
            options.Resamples,
            invalid,
            options.Seed);
    }

    /// <summary>BCa-adjusted quantile levels (Efron &amp; Tibshirani 1993, eq. 14.10; z0 with mid-rank ties as scipy).</summary>
    internal static (double Low, double High) BcaLevels(double theta, double[] sortedReplicates, double alpha, double a)
    {
        int b = sortedReplicates.Length;
        int less = LowerBound(sortedReplicates, theta);
        int lessOrEqual = UpperBound(sortedReplicates, theta);
        double percentile = (less + lessOrEqual) / (2.0 * b);
        // Degenerate bootstrap distributions would give z0 = ±inf; clamp to the most extreme resolvable rank.
        percentile = Math.Clamp(percentile, 1.0 / (2.0 * b), 1.0 - (1.0 / (2.0 * b)));
        double z0 = Distributions.NormalQuantile(percentile);

        double zLow = Distributions.NormalQuantile(alpha);
        double zHigh = -zLow;
        return (Adjust(zLow), Adjust(zHigh));

        double Adjust(double z)
        {
            double s = z0 + z;
            double denominator = 1.0 - (a * s);
            if (denominator <= 0.0)
            {
                return z < 0 ? 0.0 : 1.0;
            }

            return Distributions.NormalCdf(z0 + (s / denominator));
        }
    }

    /// <summary>
    /// BCa acceleration from jackknife values θ(−i) with multiplicities: a = Σ m·u³ / (6 (Σ m·u²)^1.5), u = mean − θ(−i).
    /// Zero when the jackknife values are all equal.
    /// </summary>
    internal static double Acceleration(ReadOnlySpan<double> jackknife, ReadOnlySpan<double> multiplicity)
    {
        double total = 0.0, sum = 0.0;
        for (int i = 0; i < jackknife.Length; i++)
        {
            total += multiplicity[i];
            sum += multiplicity[i] * jackknife[i];
        }

        double mean = sum / total;
        double num = 0.0, den = 0.0;
        for (int i = 0; i < jackknife.Length; i++)
        {
            double u = mean - jackknife[i];
            num += multiplicity[i] * u * u * u;
            den += multiplicity[i] * u * u;
        }

        return den <= 0.0 ? 0.0 : num / (6.0 * Math.Pow(den, 1.5));
    }

    /// <summary>Quantile of sorted data with linear interpolation (numpy default / R type 7).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        double h = (sorted.Length - 1) * Math.Clamp(q, 0.0, 1.0);
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    private static int LowerBound(double[] sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int UpperBound(double[] sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
