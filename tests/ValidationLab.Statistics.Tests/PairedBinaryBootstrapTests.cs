namespace ValidationLab.Statistics.Tests;

public sealed class PairedBinaryBootstrapTests
{
    [Fact]
    public void AccuracyDifference_Should_Agree_With_Item_Level_Paired_Bootstrap_When_N_Is_Large()
    {
        // Given: 5,000 items, b = 400, c = 250
        var counts = new PairedCounts(3500, 400, 250, 850);
        bool[] a = Expand(counts, first: true);
        bool[] b = Expand(counts, first: false);
        var options = new BootstrapOptions { Resamples = 4000 };

        // When
        var fast = PairedBinaryBootstrap.AccuracyDifference(counts, options);
        var slow = Bootstrap.PairedDifference(a.Length, WeightedMetrics.Proportion(a), WeightedMetrics.Proportion(b), options);

        // Then: same distribution (SE analytic: √((b+c)/n − Δ²)/√n)
        double n = counts.N, delta = 150 / n;
        double se = Math.Sqrt((650 / n) - (delta * delta)) / Math.Sqrt(n);
        Assert.Equal(delta, fast.Estimate.Value, 1e-15);
        Assert.InRange(fast.StandardError, 0.95 * se, 1.05 * se);
        Assert.InRange(slow.StandardError, 0.95 * se, 1.05 * se);
        Assert.Equal(slow.Estimate.Low, fast.Estimate.Low, 0.15 * se);
        Assert.Equal(slow.Estimate.High, fast.Estimate.High, 0.15 * se);
    }

    [Fact]
    public void AccuracyDifference_Should_Be_Reproducible_And_Handle_Degenerate_Tables()
    {
        // Given
        var counts = new PairedCounts(10, 0, 0, 5);

        // When
        var r = PairedBinaryBootstrap.AccuracyDifference(counts, new BootstrapOptions { Interval = BootstrapInterval.BCa });

        // Then: no discordant pairs → every replicate is 0, no NaN
        Assert.Equal((0.0, 0.0, 0.0), (r.Estimate.Value, r.Estimate.Low, r.Estimate.High));
        Assert.Throws<ArgumentException>(() => PairedBinaryBootstrap.AccuracyDifference(new PairedCounts(0, 0, 0, 0)));
    }

    [Fact]
    public void Binomial_Sampler_Should_Have_Correct_Mean_And_Variance()
    {
        // Given
        var rng = new SeededRandom(1);
        foreach (var (n, p) in new[] { (1_000_000, 0.07), (50, 0.1), (1000, 0.7) })
        {
            // When
            double[] draws = Enumerable.Range(0, 20000).Select(_ => (double)BinomialSampler.Sample(rng, n, p)).ToArray();

            // Then
            double mean = draws.Average();
            double variance = draws.Sum(x => (x - mean) * (x - mean)) / (draws.Length - 1);
            double sd = Math.Sqrt(n * p * (1 - p));
            Assert.InRange(mean, (n * p) - (5 * sd / Math.Sqrt(20000)), (n * p) + (5 * sd / Math.Sqrt(20000)));
            Assert.InRange(variance, 0.95 * sd * sd, 1.05 * sd * sd);
        }
    }

    private static bool[] Expand(PairedCounts c, bool first)
    {
        var list = new List<bool>();
        list.AddRange(Enumerable.Repeat(true, c.BothCorrect));
        list.AddRange(Enumerable.Repeat(first, c.OnlyFirstCorrect));
        list.AddRange(Enumerable.Repeat(!first, c.OnlySecondCorrect));
        list.AddRange(Enumerable.Repeat(false, c.BothWrong));
        return list.ToArray();
    }
}
