using BenchmarkDotNet.Attributes;
using ValidationLab.Statistics;

namespace ValidationLab.Benchmarks;

/// <summary>
/// Statistics engine benchmarks on the shared benchmark data (see docs/benchmarks.md, "## Statistics").
/// Each benchmark includes all per-call setup (counting cells, sorting scores, dense cluster ids).
/// </summary>
[MemoryDiagnoser]
public class StatisticsBenchmarks
{
    private double[] _rocScores = [];
    private bool[] _rocLabels = [];
    private bool[] _pairedA = [];
    private bool[] _pairedB = [];
    private bool[] _pairedA100K = [];
    private bool[] _pairedB100K = [];
    private double[] _clusterScores = [];
    private bool[] _clusterLabels = [];
    private int[] _clusterIds = [];

    [GlobalSetup]
    public void Setup()
    {
        _rocScores = BenchData.Doubles("roc_scores.f64");
        _rocLabels = BenchData.Bools("roc_labels.u8");
        _pairedA = BenchData.Bools("paired_a.u8");
        _pairedB = BenchData.Bools("paired_b.u8");
        _pairedA100K = _pairedA[..100_000];
        _pairedB100K = _pairedB[..100_000];
        _clusterScores = BenchData.Doubles("cluster_scores.f64");
        _clusterLabels = BenchData.Bools("cluster_labels.u8");
        _clusterIds = BenchData.Ints("cluster_ids.i32");
    }

    /// <summary>AUROC + DeLong 95% CI on 1,000,000 scores (reference: R pROC roc() + ci.auc(method="delong")).</summary>
    [Benchmark]
    public AurocResult AurocDeLong1M() => Discrimination.Auroc(_rocScores, _rocLabels);

    /// <summary>Paired bootstrap (10,000 resamples, percentile) of the accuracy difference on 1,000,000 items.</summary>
    [Benchmark]
    public BootstrapResult PairedBootstrap1M() =>
        PairedBinaryBootstrap.AccuracyDifference(_pairedA, _pairedB, new BootstrapOptions { Resamples = 10_000 });

    /// <summary>Same on 100,000 items (reference: scipy.stats.bootstrap paired=True, vectorized).</summary>
    [Benchmark]
    public BootstrapResult PairedBootstrap100K() =>
        PairedBinaryBootstrap.AccuracyDifference(_pairedA100K, _pairedB100K, new BootstrapOptions { Resamples = 10_000 });

    /// <summary>Generic item-level paired bootstrap (weights path, no multinomial shortcut), 1,000 resamples on 100,000 items.</summary>
    [Benchmark]
    public BootstrapResult GenericPairedBootstrap100K_1000() =>
        Bootstrap.PairedDifference(_pairedA100K.Length, WeightedMetrics.Proportion(_pairedA100K), WeightedMetrics.Proportion(_pairedB100K), new BootstrapOptions { Resamples = 1_000 });

    /// <summary>Cluster bootstrap of AUROC: 2,000 resamples, 100,000 predictions over 10,000 patients.</summary>
    [Benchmark]
    public BootstrapResult ClusterBootstrapAuroc() =>
        Bootstrap.Cluster(_clusterIds, WeightedMetrics.Auroc(_clusterScores, _clusterLabels), new BootstrapOptions { Resamples = 2_000 });
}
