using ValidationLab.Statistics;

namespace ValidationLab.Analysis.Slicing;

/// <summary>
/// The tests the slicing stage runs on a slice's gap, chosen by what the metric is and how the items are sampled:
/// a two-proportion z test, or Fisher's exact test when an expected cell count is below 5 (Cochran's rule), for
/// proportions; an unpaired DeLong z test for AUROC (two independent groups: Var(A1 − A2) = V1 + V2); a cluster
/// bootstrap of the difference where items are clustered (patients). Each result names its method.
/// </summary>
public static class SliceStatistics
{
    /// <summary>Below this expected count in any cell of the 2×2 table the normal approximation is not trusted.</summary>
    public const double MinimumExpectedCount = 5.0;

    /// <summary>Two-sided α and power for the minimum detectable difference.</summary>
    public const double PlanningAlpha = 0.05;

    public const double PlanningPower = 0.8;

    /// <summary>Slice (successes1 of n1) against its reference (successes2 of n2), two independent groups.</summary>
    public static RawTest Proportions(int successes1, int n1, int successes2, int n2)
    {
        if (n1 <= 0 || n2 <= 0)
        {
            throw new ArgumentException("Both groups need at least one item.");
        }

        var total = n1 + n2;
        var successes = successes1 + successes2;
        double[] expected =
        [
            (double)n1 * successes / total, (double)n1 * (total - successes) / total,
            (double)n2 * successes / total, (double)n2 * (total - successes) / total,
        ];
        if (expected.Min() < MinimumExpectedCount)
        {
            var fisher = GroupTests.FisherExact(successes1, n1 - successes1, successes2, n2 - successes2);
            return new RawTest($"{fisher.Method}; an expected cell count is below {MinimumExpectedCount:0}", fisher.Statistic, fisher.PValue);
        }

        var z = GroupTests.TwoProportionZ(successes1, n1, successes2, n2);
        return new RawTest(z.Method, z.Statistic, z.PValue);
    }

    /// <summary>
    /// Unpaired DeLong test of AUC1 − AUC2 for two independent groups, as R pROC <c>roc.test(paired = FALSE)</c>:
    /// D = (AUC1 − AUC2) / √(V1 + V2) against Student's t with Welch–Satterthwaite degrees of freedom
    /// (V1 + V2)² / (V1²/(N1 − 1) + V2²/(N2 − 1)), N the group's cases plus controls.
    /// </summary>
    public static RawTest UnpairedDeLong(AurocResult first, AurocResult second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        const string method = "DeLong (unpaired, independent groups; Student t with Welch-Satterthwaite df, as pROC)";
        var difference = first.Auc - second.Auc;
        var variance = first.Variance + second.Variance;
        if (variance <= 0)
        {
            return new RawTest(method, 0, difference == 0 ? 1 : 0);
        }

        var d = difference / Math.Sqrt(variance);
        int n1 = first.Positives + first.Negatives, n2 = second.Positives + second.Negatives;
        var df = variance * variance / ((first.Variance * first.Variance / (n1 - 1)) + (second.Variance * second.Variance / (n2 - 1)));
        var p = double.IsFinite(df) && df > 0
            ? 2.0 * MathNet.Numerics.Distributions.StudentT.CDF(0.0, 1.0, df, -Math.Abs(d))
            : 2.0 * NormalSurvival(Math.Abs(d));
        return new RawTest(method, d, Math.Min(1.0, p));
    }

    /// <summary>
    /// Cluster bootstrap of a difference between two groups laid end to end (<paramref name="firstCount"/> items of
    /// the slice, then the reference's): whole clusters are resampled, the difference recomputed, and its bootstrap
    /// standard error gives a Wald z and p.
    /// </summary>
    public static RawTest ClusterBootstrap(int[] clusterIds, int firstCount, Func<double[], bool[], WeightedStatistic> metric, double[] scores, bool[] outcomes, int resamples, ulong seed, double observed)
    {
        ArgumentNullException.ThrowIfNull(clusterIds);
        ArgumentNullException.ThrowIfNull(metric);
        var first = metric(scores[..firstCount], outcomes[..firstCount]);
        var second = metric(scores[firstCount..], outcomes[firstCount..]);
        WeightedStatistic difference = w => first(w[..firstCount]) - second(w[firstCount..]);
        var result = Bootstrap.Cluster(clusterIds, difference, new BootstrapOptions { Resamples = resamples, Seed = seed, MaxDegreeOfParallelism = 1 });
        var method = $"Cluster bootstrap z ({resamples} resamples of patients, SE of the difference)";
        if (!(result.StandardError > 0))
        {
            return new RawTest(method, 0, observed == 0 ? 1 : 0, result.StandardError);
        }

        var z = observed / result.StandardError;
        return new RawTest(method, z, Math.Min(1.0, 2.0 * NormalSurvival(Math.Abs(z))), result.StandardError);
    }

    /// <summary>(z_{1−α/2} + z_{power}) × SE: the gap a two-sided test at α detects with the given power.</summary>
    public static double DetectableDifference(double standardError) =>
        (NormalQuantile(1.0 - (PlanningAlpha / 2.0)) + NormalQuantile(PlanningPower)) * standardError;

    /// <summary>Standard error of p1 − p2 under the null of a common rate <paramref name="p"/>.</summary>
    public static double ProportionStandardError(double p, int n1, int n2) => Math.Sqrt(p * (1 - p) * ((1.0 / n1) + (1.0 / n2)));

    internal static double NormalSurvival(double z) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(z / Math.Sqrt(2.0));

    private static double NormalQuantile(double p) => MathNet.Numerics.Distributions.Normal.InvCDF(0.0, 1.0, p);
}

/// <summary>A test before multiplicity correction; <see cref="StandardError"/> is the bootstrap SE when there is one.</summary>
public sealed record RawTest(string Method, double Statistic, double PValue, double? StandardError = null);
