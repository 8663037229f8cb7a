using ValidationLab.Results;
using ValidationLab.Statistics.EarlyWarning;

namespace ValidationLab.Suites.Longitudinal.Scoring;

// RiskAggregator: the same key metrics per stratum value (sex, age band, ward...), each with its own cluster bootstrap.
public static partial class RiskAggregator
{
    private static SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>> Breakdowns(
        RiskData data, double? threshold, RiskAggregationOptions options)
    {
        var result = Empty();
        var fields = data.Rows.SelectMany(r => r.Strata.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var byValue = new SortedDictionary<string, IReadOnlyDictionary<string, MetricValue>>(StringComparer.Ordinal);
            var groups = data.Rows.Where(r => r.Strata.ContainsKey(field)).GroupBy(r => r.Strata[field], StringComparer.Ordinal);
            foreach (var group in groups)
            {
                var slice = RiskData.From(group)!;
                var metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal);
                var add = new ClusterMetrics(slice.Set.Patients, slice.Set.PatientCount, options, metrics, notes: []);
                add.Count("decision_points", slice.Set.Count, slice.Set.Count);
                add.Count("patients", slice.Set.PatientCount, slice.Set.Count);
                add.Count("positive_decision_points", slice.Set.Labels.Count(l => l), slice.Set.Count);
                add.Add("auroc", WeightedRanking.Auroc(slice.Set.Scores, slice.Set.Labels), MetricKind.Auroc, slice.Set.Count, "one outcome class");
                add.Add("brier", WeightedCalibration.Brier(slice.Set.Scores, slice.Set.Labels), MetricKind.Score, slice.Set.Count, "no decision point");
                if (threshold is { } t)
                {
                    var at = new ThresholdEvaluation(slice.Set, t);
                    add.Add("alert_rate", at.AlertRate, MetricKind.Proportion, slice.Set.Count, "no decision point");
                    add.Add("sensitivity_units", at.SensitivityUnits, MetricKind.Proportion, slice.Set.PositiveUnitCount, "no unit had the outcome");
                }

                add.Compute();
                byValue[group.Key] = metrics;
            }

            result[field] = byValue;
        }

        return result;
    }
}
