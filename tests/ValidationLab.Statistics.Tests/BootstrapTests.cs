namespace ValidationLab.Statistics.Tests;

public sealed class BootstrapTests
{
    private static readonly System.Text.Json.JsonElement Ref = Reference.Statistics.GetProperty("bootstrap");

    [Theory]
    [InlineData(BootstrapInterval.Percentile, "mean_percentile")]
    [InlineData(BootstrapInterval.BCa, "mean_BCa")]
    public void Run_Should_Match_Scipy_Within_Monte_Carlo_Tolerance_When_Bootstrapping_A_Mean(BootstrapInterval interval, string key)
    {
        // Given: skewed data (exponential, n = 60) where BCa and percentile differ
        double[] x = Ref.GetProperty("values").Doubles();
        var expected = Ref.GetProperty(key).Doubles();
        var options = new BootstrapOptions { Resamples = 20000, Interval = interval, Seed = 3 };

        // When
        var r = Bootstrap.Run(x.Length, WeightedMetrics.Mean(x), options);

        // Then: bounds within 0.1 SE (Monte Carlo error of both runs is ~0.02-0.04 SE)
        double se = expected[2];
        Assert.Equal(x.Average(), r.Estimate.Value, 1e-12);
        Assert.InRange(r.Estimate.Low, expected[0] - (0.1 * se), expected[0] + (0.1 * se));
        Assert.InRange(r.Estimate.High, expected[1] - (0.1 * se), expected[1] + (0.1 * se));
        Assert.InRange(r.StandardError, se * 0.97, se * 1.03);
    }

    [Theory]
    [InlineData(BootstrapInterval.Percentile, "paired_percentile")]
    [InlineData(BootstrapInterval.BCa, "paired_BCa")]
    public void PairedDifference_Should_Match_Scipy_Paired_Bootstrap(BootstrapInterval interval, string key)
    {
        // Given
        bool[] a = Ref.GetProperty("first").Bools();
        bool[] b = Ref.GetProperty("second").Bools();
        var expected = Ref.GetProperty(key).Doubles();
        var options = new BootstrapOptions { Resamples = 20000, Interval = interval, Seed = 4 };

        // When
        var general = Bootstrap.PairedDifference(a.Length, WeightedMetrics.Proportion(a), WeightedMetrics.Proportion(b), options);
        var fast = PairedBinaryBootstrap.AccuracyDifference(a, b, options);

        // Then
        double tol = 0.1 * expected[2] + (1.0 / a.Length);   // + one item of discreteness
        foreach (var r in new[] { general, fast })
        {
            Assert.InRange(r.Estimate.Low, expected[0] - tol, expected[0] + tol);
            Assert.InRange(r.Estimate.High, expected[1] - tol, expected[1] + tol);
        }
    }

    [Fact]
    public void Run_Should_Be_Identical_When_Thread_Count_Changes()
    {
        // Given
        double[] x = Ref.GetProperty("values").Doubles();
        var serial = new BootstrapOptions { Resamples = 1000, MaxDegreeOfParallelism = 1, Interval = BootstrapInterval.BCa };
        var parallel = serial with { MaxDegreeOfParallelism = 4 };

        // When
        var r1 = Bootstrap.Run(x.Length, WeightedMetrics.Mean(x), serial);
        var r2 = Bootstrap.Run(x.Length, WeightedMetrics.Mean(x), parallel);
        var r3 = Bootstrap.Run(x.Length, WeightedMetrics.Mean(x), serial with { Seed = 99 });

        // Then
        Assert.Equal(r1, r2);
        Assert.NotEqual(r1.Estimate.Low, r3.Estimate.Low);
    }

    [Fact]
    public void Cluster_Should_Widen_Interval_When_Items_Are_Correlated_Within_Clusters()
    {
        // Given: 100 clusters of 10 identical outcomes each (perfect within-cluster correlation)
        bool[] y = Enumerable.Range(0, 1000).Select(i => (i / 10) % 3 == 0).ToArray();
        int[] cluster = Enumerable.Range(0, 1000).Select(i => i / 10).ToArray();
        var options = new BootstrapOptions { Resamples = 4000 };

        // When
        var naive = Bootstrap.Run(y.Length, WeightedMetrics.Proportion(y), options);
        var clustered = Bootstrap.Cluster(cluster, WeightedMetrics.Proportion(y), options);

        // Then: cluster SE ≈ √10 × item SE; cluster SE ≈ binomial SE over 100 clusters
        double p = y.Count(v => v) / 1000.0;
        Assert.InRange(clustered.StandardError / naive.StandardError, 2.8, 3.6);
        Assert.InRange(clustered.StandardError, 0.9 * Math.Sqrt(p * (1 - p) / 100), 1.1 * Math.Sqrt(p * (1 - p) / 100));
        Assert.StartsWith("Cluster", clustered.Estimate.Method);
    }

    [Fact]
    public void Stratified_Should_Keep_Stratum_Sizes_So_A_Stratum_Indicator_Has_Zero_Variance()
    {
        // Given
        int[] strata = Enumerable.Range(0, 200).Select(i => i < 50 ? 1 : 0).ToArray();
        bool[] isStratumOne = strata.Select(s => s == 1).ToArray();

        // When
        var r = Bootstrap.Stratified(strata, WeightedMetrics.Proportion(isStratumOne), new BootstrapOptions { Resamples = 500 });

        // Then
        Assert.Equal(0.0, r.StandardError);
        Assert.Equal((0.25, 0.25), (r.Estimate.Low, r.Estimate.High));
    }

    [Fact]
    public void Cluster_Should_Drop_And_Count_Resamples_Where_The_Statistic_Is_Undefined()
    {
        // Given: 6 patients, positives in only one of them
        double[] scores = [0.9, 0.8, 0.1, 0.2, 0.3, 0.4, 0.5, 0.2, 0.1, 0.3, 0.6, 0.7];
        bool[] labels = [true, true, false, false, false, false, false, false, false, false, false, false];
        int[] patient = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5];

        // When
        var r = Bootstrap.Cluster(patient, WeightedMetrics.Auroc(scores, labels), new BootstrapOptions { Resamples = 2000 });

        // Then
        Assert.InRange(r.InvalidResamples, 1, 1999);
        Assert.False(double.IsNaN(r.Estimate.Low) || double.IsNaN(r.Estimate.High));
    }

    [Fact]
    public void Run_Should_Throw_When_Input_Is_Empty_Or_Statistic_Undefined()
    {
        Assert.Throws<ArgumentException>(() => Bootstrap.Run(0, _ => 1.0));
        Assert.Throws<ArgumentException>(() => Bootstrap.Run(3, _ => double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.Run(3, _ => 1.0, new BootstrapOptions { Resamples = 1 }));
    }
}
