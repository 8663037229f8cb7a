namespace ValidationLab.Statistics;

/// <summary>
/// Fast paired bootstrap for the accuracy difference of two models on the same items. Paired binary
/// outcomes are fully described by the four cell counts of the 2×2 table, so an item-level resample is
/// exactly a multinomial draw of those counts: each resample costs O(1) instead of O(items)
/// (10,000 resamples of 1,000,000 items take milliseconds). Same distribution as <see cref="Bootstrap.PairedDifference"/>.
/// </summary>
public static class PairedBinaryBootstrap
{
    /// <summary>Bootstrap CI for accuracy(first) − accuracy(second) from per-item correctness.</summary>
    public static BootstrapResult AccuracyDifference(ReadOnlySpan<bool> first, ReadOnlySpan<bool> second, BootstrapOptions? options = null) =>
        AccuracyDifference(PairedCounts.FromOutcomes(first, second), options);

    /// <summary>Bootstrap CI for the accuracy difference from the paired 2×2 counts.</summary>
    public static BootstrapResult AccuracyDifference(PairedCounts counts, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        counts.Validate();
        options ??= new BootstrapOptions();
        options.Validate();
        int n = counts.N;
        if (n < 1)
        {
            throw new ArgumentException("The bootstrap needs at least one paired item.", nameof(counts));
        }

        int b = counts.OnlyFirstCorrect, c = counts.OnlySecondCorrect;
        double pb = (double)b / n;
        double pcGivenNotB = n == b ? 0.0 : (double)c / (n - b);
        double[] replicates = new double[options.Resamples];
        int chunks = (options.Resamples + BootstrapEngine.ChunkSize - 1) / BootstrapEngine.ChunkSize;
        Parallel.For(
            0,
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount },
            chunk =>
            {
                var rng = new SeededRandom(options.Seed, (ulong)chunk);
                int end = Math.Min(options.Resamples, (chunk + 1) * BootstrapEngine.ChunkSize);
                for (int r = chunk * BootstrapEngine.ChunkSize; r < end; r++)
                {
                    int bStar = BinomialSampler.Sample(rng, n, pb);
                    int cStar = BinomialSampler.Sample(rng, n - bStar, pcGivenNotB);
                    replicates[r] = (double)(bStar - cStar) / n;
                }
            });

        double point = (double)(b - c) / n;
        return BootstrapEngine.Summarise(point, replicates, options, "Paired multinomial ", n, () => Acceleration(b, c, n));
    }

    private static double Acceleration(int b, int c, int n)
    {
        if (n < 2)
        {
            return 0.0;
        }

        // Leave-one-out values by cell type: drop a (1,0) item, a (0,1) item, or a concordant item.
        double m = n - 1;
        ReadOnlySpan<double> values = [(b - 1 - c) / m, (b - c + 1) / m, (b - c) / m];
        ReadOnlySpan<double> multiplicity = [b, c, n - b - c];
        return BootstrapEngine.Acceleration(values, multiplicity);
    }
}
