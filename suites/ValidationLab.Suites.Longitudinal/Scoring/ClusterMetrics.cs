using System.Globalization;
using ValidationLab.Results;
using ValidationLab.Statistics;
using ValidationLab.Statistics.EarlyWarning;

namespace ValidationLab.Suites.Longitudinal.Scoring;

/// <summary>
/// Turns weighted statistics into <see cref="MetricValue"/>s with a patient cluster bootstrap interval (whole patients
/// resampled with replacement, seeded, percentile 95%). Metrics are registered with <see cref="Add"/> and computed
/// together by <see cref="Compute"/>: every resample is drawn once and shared by all of them, so they rest on the same
/// resamples. An undefined value is left out and noted; a value whose interval cannot be formed is kept without one,
/// and noted.
/// </summary>
internal sealed class ClusterMetrics(int[] patients, int patientCount, RiskAggregationOptions options, SortedDictionary<string, MetricValue> into, List<string> notes)
{
    private readonly List<(string Name, WeightedStatistic Statistic, MetricKind Kind, int N, string UndefinedReason)> _pending = [];

    public void Add(string name, WeightedStatistic statistic, MetricKind kind, int n, string undefinedReason) =>
        _pending.Add((name, statistic, kind, n, undefinedReason));

    public void Count(string name, int value, int n) =>
        into[name] = new MetricValue(value, null, null, n, "count") { Kind = MetricKind.Count, Clusters = patientCount };

    public void Compute()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        IReadOnlyList<BootstrapOutcome> outcomes;
        if (options.BootstrapResamples == 0)
        {
            int[] ones = new int[patients.Length];
            Array.Fill(ones, 1);
            outcomes = _pending.Select(p => new BootstrapOutcome(p.Statistic(ones), null, "bootstrap turned off")).ToArray();
        }
        else
        {
            outcomes = SharedBootstrap.Cluster(patients, _pending.Select(p => p.Statistic).ToArray(), new BootstrapOptions
            {
                Resamples = options.BootstrapResamples,
                Seed = unchecked((ulong)options.Seed),
            });
        }

        for (int k = 0; k < _pending.Count; k++)
        {
            var (name, _, kind, n, undefinedReason) = _pending[k];
            var outcome = outcomes[k];
            if (double.IsNaN(outcome.Point))
            {
                notes.Add($"{name} is undefined on these data ({undefinedReason}) and is not reported.");
                continue;
            }

            if (outcome.Result is not { } result)
            {
                string why = options.BootstrapResamples == 0 ? "point estimate (bootstrap turned off)" : "point estimate (no bootstrap interval)";
                into[name] = new MetricValue(outcome.Point, null, null, n, why) { Kind = kind, Clusters = patientCount };
                if (options.BootstrapResamples != 0)
                {
                    notes.Add($"{name}: no interval could be formed ({outcome.Problem})");
                }

                continue;
            }

            string method = result.Estimate.Method.Replace("Cluster ", "Patient cluster ", StringComparison.Ordinal);
            if (result.InvalidResamples > 0)
            {
                method += string.Create(CultureInfo.InvariantCulture, $"; {result.InvalidResamples} resamples where it was undefined were dropped");
            }

            into[name] = new MetricValue(outcome.Point, result.Estimate.Low, result.Estimate.High, n, method) { Kind = kind, Clusters = patientCount };
        }

        _pending.Clear();
    }
}
