namespace ValidationLab.Statistics;

/// <summary>
/// Nonparametric bootstrap confidence intervals (percentile or BCa) for any statistic written as a
/// <see cref="WeightedStatistic"/>: ordinary (items), stratified (items within strata) and cluster
/// (whole clusters such as patients) resampling, and paired differences of two metrics computed on the
/// same resampled items. Seeded and reproducible regardless of thread count; memory O(items) per worker.
/// </summary>
public static class Bootstrap
{
    /// <summary>Ordinary bootstrap over <paramref name="n"/> independent items.</summary>
    public static BootstrapResult Run(int n, WeightedStatistic statistic, BootstrapOptions? options = null)
    {
        CheckN(n);
        return Execute(ResamplingDesign.Iid(n), statistic, options);
    }

    /// <summary>
    /// Stratified bootstrap: items are resampled within each stratum, keeping stratum sizes fixed
    /// (e.g. keep the positive/negative split of a test set). <paramref name="strata"/>[i] is item i's stratum.
    /// </summary>
    public static BootstrapResult Stratified(ReadOnlySpan<int> strata, WeightedStatistic statistic, BootstrapOptions? options = null)
    {
        CheckN(strata.Length);
        return Execute(ResamplingDesign.Stratified(strata), statistic, options);
    }

    /// <summary>
    /// Cluster bootstrap: whole clusters (e.g. patients with several predictions) are resampled with
    /// replacement, so within-cluster correlation is respected. <paramref name="clusterIds"/>[i] is item i's cluster.
    /// The BCa jackknife deletes whole clusters.
    /// </summary>
    public static BootstrapResult Cluster(ReadOnlySpan<int> clusterIds, WeightedStatistic statistic, BootstrapOptions? options = null)
    {
        CheckN(clusterIds.Length);
        return Execute(ResamplingDesign.Cluster(clusterIds), statistic, options);
    }

    /// <summary>
    /// Paired bootstrap of metricA − metricB for two models evaluated on the same <paramref name="n"/> items:
    /// each resample draws items once and evaluates both metrics on it.
    /// </summary>
    public static BootstrapResult PairedDifference(int n, WeightedStatistic metricA, WeightedStatistic metricB, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(metricA);
        ArgumentNullException.ThrowIfNull(metricB);
        CheckN(n);
        return Execute(ResamplingDesign.Iid(n), w => metricA(w) - metricB(w), options, "Paired ");
    }

    /// <summary>Paired cluster bootstrap of metricA − metricB (clusters such as patients resampled whole).</summary>
    public static BootstrapResult ClusterPairedDifference(ReadOnlySpan<int> clusterIds, WeightedStatistic metricA, WeightedStatistic metricB, BootstrapOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(metricA);
        ArgumentNullException.ThrowIfNull(metricB);
        CheckN(clusterIds.Length);
        return Execute(ResamplingDesign.Cluster(clusterIds), w => metricA(w) - metricB(w), options, "Paired ");
    }

    private static BootstrapResult Execute(ResamplingDesign design, WeightedStatistic statistic, BootstrapOptions? options, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(statistic);
        options ??= new BootstrapOptions();
        options.Validate();
        int[] ones = new int[design.Items];
        Array.Fill(ones, 1);
        double point = statistic(ones);
        if (double.IsNaN(point))
        {
            throw new ArgumentException("The statistic is undefined (NaN) on the original data.", nameof(statistic));
        }

        double[] replicates = new double[options.Resamples];
        BootstrapEngine.Replicate(design, statistic, options, replicates);
        return BootstrapEngine.Summarise(point, replicates, options, prefix + design.Name, design.Items, () => Acceleration(design, statistic, options));
    }

    private static double Acceleration(ResamplingDesign design, WeightedStatistic statistic, BootstrapOptions options)
    {
        int count = design.JackknifeCount;
        double[] values = new double[count];
        Parallel.For(
            0,
            count,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount },
            () => new int[design.Items],
            (k, _, weights) =>
            {
                design.JackknifeWeights(k, weights);
                values[k] = statistic(weights);
                return weights;
            },
            _ => { });
        double[] valid = values.Where(v => !double.IsNaN(v)).ToArray();
        double[] ones = Enumerable.Repeat(1.0, valid.Length).ToArray();
        return valid.Length < 2 ? 0.0 : BootstrapEngine.Acceleration(valid, ones);
    }

    private static void CheckN(int n)
    {
        if (n < 1)
        {
            throw new ArgumentException("The bootstrap needs at least one item.", nameof(n));
        }
    }
}
