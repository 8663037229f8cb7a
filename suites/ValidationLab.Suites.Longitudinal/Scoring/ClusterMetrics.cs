using System.Globalization;
using ValidationLab.Results;
using ValidationLab.Statistics;

namespace ValidationLab.Suites.Longitudinal.Scoring;

/// <summary>
/// Turns weighted statistics into <see cref="MetricValue"/>s with a patient cluster bootstrap interval (whole patients
/// resampled with replacement, seeded, percentile 95%); the same seed gives every metric the same resamples. An
/// undefined value is left out and noted; a value whose interval cannot be formed is kept without one, and noted.
/// </summary>
internal sealed class ClusterMetrics(int[] patients, int patientCount, RiskAggregationOptions options, SortedDictionary<string, MetricValue> into, List<string> notes)
{
    public void Add(string name, WeightedStatistic statistic, MetricKind kind, int n, string undefinedReason)
    {
        int[] ones = new int[patients.Length];
        Array.Fill(ones, 1);
        double point = statistic(ones);
        if (double.IsNaN(point))
        {
            notes.Add($"{name} is undefined on these data ({undefinedReason}) and is not reported.");
            return;
        }

        if (options.BootstrapResamples == 0)
        {
            into[name] = new MetricValue(point, null, null, n, "point estimate (bootstrap turned off)") { Kind = kind, Clusters = patientCount };
            return;
        }

        try
        {
            var result = Bootstrap.Cluster(patients, statistic, new BootstrapOptions
            {
                Resamples = options.BootstrapResamples,
                Seed = unchecked((ulong)options.Seed),
            });
            string method = result.Estimate.Method.Replace("Cluster ", "Patient cluster ", StringComparison.Ordinal);
            if (result.InvalidResamples > 0)
            {
                method += string.Create(CultureInfo.InvariantCulture, $"; {result.InvalidResamples} resamples where it was undefined were dropped");
            }

            into[name] = new MetricValue(point, result.Estimate.Low, result.Estimate.High, n, method) { Kind = kind, Clusters = patientCount };
        }
        catch (ArgumentException e)
        {
            into[name] = new MetricValue(point, null, null, n, "point estimate (no bootstrap interval)") { Kind = kind, Clusters = patientCount };
            notes.Add($"{name}: no interval could be formed ({e.Message})");
        }
    }

    public void Count(string name, int value, int n) =>
        into[name] = new MetricValue(value, null, null, n, "count") { Kind = MetricKind.Count, Clusters = patientCount };
}
