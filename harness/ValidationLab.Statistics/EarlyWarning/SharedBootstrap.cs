namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>
/// A cluster bootstrap of several statistics on the same resamples: each resample is drawn once and every statistic
/// is evaluated on it, so k metrics cost one set of draws instead of k. Results are identical, replicate for
/// replicate, to running <see cref="Bootstrap.Cluster"/> on each statistic with the same options (same chunked RNG
/// streams), and as reproducible whatever the thread count.
/// </summary>
public static class SharedBootstrap
{
    /// <summary>
    /// Point value and percentile (or BCa) interval of each statistic under whole-cluster resampling. An outcome
    /// carries a problem instead of an interval when the statistic is undefined on the data or on almost every resample.
    /// </summary>
    public static IReadOnlyList<BootstrapOutcome> Cluster(ReadOnlySpan<int> clusterIds, IReadOnlyList<WeightedStatistic> statistics, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (clusterIds.Length < 1)
        {
            throw new ArgumentException("The bootstrap needs at least one item.", nameof(clusterIds));
        }

        options ??= new BootstrapOptions();
        options.Validate();
        var design = ResamplingDesign.Cluster(clusterIds);
        int[] ones = new int[design.Items];
        Array.Fill(ones, 1);
        double[] points = statistics.Select(s => s(ones)).ToArray();
        double[][] replicates = statistics.Select(_ => new double[options.Resamples]).ToArray();
        int chunks = (options.Resamples + BootstrapEngine.ChunkSize - 1) / BootstrapEngine.ChunkSize;
        Parallel.For(
            0,
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount },
            () => (Weights: new int[design.Items], Units: new int[design.Units]),
            (chunk, _, buffers) =>
            {
                var rng = new SeededRandom(options.Seed, (ulong)chunk);
                int end = Math.Min(options.Resamples, (chunk + 1) * BootstrapEngine.ChunkSize);
                for (int r = chunk * BootstrapEngine.ChunkSize; r < end; r++)
                {
                    design.Draw(rng, buffers.Weights, buffers.Units);
                    for (int s = 0; s < statistics.Count; s++)
                    {
                        replicates[s][r] = double.IsNaN(points[s]) ? double.NaN : statistics[s](buffers.Weights);
                    }
                }

                return buffers;
            },
            _ => { });

        var outcomes = new BootstrapOutcome[statistics.Count];
        for (int s = 0; s < statistics.Count; s++)
        {
            if (double.IsNaN(points[s]))
            {
                outcomes[s] = new BootstrapOutcome(double.NaN, null, "the statistic is undefined (NaN) on the original data");
                continue;
            }

            try
            {
                var statistic = statistics[s];
                var result = BootstrapEngine.Summarise(points[s], replicates[s], options, design.Name, design.Items, () => Acceleration(design, statistic));
                outcomes[s] = new BootstrapOutcome(points[s], result, null);
            }
            catch (ArgumentException e)
            {
                outcomes[s] = new BootstrapOutcome(points[s], null, e.Message);
            }
        }

        return outcomes;
    }

    private static double Acceleration(ResamplingDesign design, WeightedStatistic statistic)
    {
        int count = design.JackknifeCount;
        int[] weights = new int[design.Items];
        var values = new List<double>(count);
        for (int k = 0; k < count; k++)
        {
            design.JackknifeWeights(k, weights);
            double v = statistic(weights);
            if (!double.IsNaN(v))
            {
                values.Add(v);
            }
        }

        return values.Count < 2 ? 0.0 : BootstrapEngine.Acceleration(values.ToArray(), Enumerable.Repeat(1.0, values.Count).ToArray());
    }
}
