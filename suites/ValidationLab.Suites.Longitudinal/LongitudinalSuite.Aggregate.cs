using System.Globalization;
using ValidationLab.Results;
using ValidationLab.Statistics;
using ValidationLab.Suites.Longitudinal.Tasks;

namespace ValidationLab.Suites.Longitudinal;

/// <summary>
/// Aggregation. STAND-IN until the risk metrics module (Scoring/RiskAggregator, written separately) is merged:
/// counts and a decision-point AUROC with DeLong interval only. At the merge, <see cref="Aggregate"/> maps items to
/// RiskObservation via <see cref="Observations"/> and calls RiskAggregator.Aggregate, then appends
/// <see cref="TaskNotes"/> and <see cref="CountMetrics"/>.
/// </summary>
public sealed partial class LongitudinalSuite
{
    public SuiteResult Aggregate(IReadOnlyList<ItemResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var scored = results.Where(r => r.Status == ItemStatus.Scored && r.Score is not null && r.Label is not null).ToList();
        var unparseable = results.Count(r => r.Status == ItemStatus.Unparseable);
        var errored = results.Count(r => r.Status == ItemStatus.Errored);
        var counts = new SuiteCounts(results.Count, results.Count - unparseable - errored, unparseable, errored);
        var metrics = CountMetrics(results);
        var notes = new List<string>();
        var labels = scored.Select(r => r.Label!.Value).ToArray();
        if (labels.Count(l => l) >= 2 && labels.Count(l => !l) >= 2)
        {
            var auc = Discrimination.Auroc(scored.Select(r => r.Score!.Value).ToArray(), labels);
            metrics["auroc"] = new MetricValue(auc.Auc, auc.Estimate.Low, auc.Estimate.High, auc.Estimate.N, auc.Estimate.Method + " (decision points, not clustered)")
            {
                Kind = MetricKind.Auroc,
                Clusters = scored.Select(r => r.ClusterId).Distinct(StringComparer.Ordinal).Count(),
            };
        }
        else
        {
            notes.Add("AUROC needs at least 2 scored positive and 2 scored negative decision points; it is not reported.");
        }

        notes.AddRange(TaskNotes());
        notes.Add(errored == 0 ? "No decision point errored." : $"{errored} decision point(s) errored (no answer) and are left out of every metric; they are not counted as wrong.");
        if (unparseable > 0)
        {
            notes.Add($"{unparseable} text answer(s) gave no readable probability and are counted apart (unparseable), not scored.");
        }

        return new SuiteResult { Suite = SuiteName, Mode = Mode, Counts = counts, Metrics = metrics, Notes = notes };
    }

    /// <summary>Counts that rest on the task, not on the model: decision points, positives, patients, exclusions.</summary>
    internal SortedDictionary<string, MetricValue> CountMetrics(IReadOnlyList<ItemResult> results)
    {
        MetricValue Count(int v) => new(v, null, null, results.Count, "count") { Kind = MetricKind.Count };
        var metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal)
        {
            ["n_decision_points"] = Count(results.Count),
            ["n_positive_decision_points"] = Count(results.Count(r => r.Label == true)),
            ["n_patients"] = Count(results.Select(r => r.ClusterId).Distinct(StringComparer.Ordinal).Count()),
            ["n_excluded_decision_points"] = Count(Excluded.Count),
            ["errored"] = Count(results.Count(r => r.Status == ItemStatus.Errored)),
            ["unparseable"] = Count(results.Count(r => r.Status == ItemStatus.Unparseable)),
        };
        return metrics;
    }

    /// <summary>The task in plain words and its counts, as the run prints them.</summary>
    internal List<string> TaskNotes()
    {
        var notes = new List<string>
        {
            $"Task {Task.Name} ({Path.GetFileName(Task.File)}): {Task.Outcome} within {Task.HorizonHours.ToString(CultureInfo.InvariantCulture)} h; unit = {Task.Unit}, cluster = patient; decision points every {Task.Decision.EveryHours.ToString(CultureInfo.InvariantCulture)} h from {Task.Decision.FirstAfterHours.ToString(CultureInfo.InvariantCulture)} h after the unit starts, while it lasts and the patient is alive.",
        };
        if (Counts is { } c)
        {
            notes.Add($"Counts: {c.DecisionPoints} decision points ({c.Positives} positive) from {c.Patients} patients and {c.Units} units ({c.PositiveUnits} with the outcome).");
            notes.Add(c.Excluded.Count == 0 ? "No decision point was excluded." : "Excluded decision points: " + string.Join("; ", c.Excluded.Select(kv => $"{kv.Value} because {kv.Key}")) + ".");
            if (c.PatientsWithoutUnit > 0)
            {
                notes.Add($"{c.PatientsWithoutUnit} patient(s) had no {Task.Unit} and gave no decision point.");
            }
        }

        if (Cohort is { } cohort)
        {
            notes.Add($"Data: {cohort.Format}, {cohort.Patients.Count} patients with usable data" +
                (cohort.EmptyPatients.Count > 0 ? $", {cohort.EmptyPatients.Count} without any usable fact ({string.Join(", ", cohort.EmptyPatients.Take(5))}{(cohort.EmptyPatients.Count > 5 ? ", …" : "")})" : "") +
                (cohort.Skipped.Count > 0 ? "; skipped resource types: " + string.Join(", ", cohort.Skipped.Select(kv => $"{kv.Key} {kv.Value}")) : "") +
                (cohort.Orphans > 0 ? $"; {cohort.Orphans} record(s) for patients absent from the patient list" : "") + ".");
        }

        if (Task.ReferenceFeature is { } reference)
        {
            notes.Add($"Reference rule for this task: the point-in-time feature '{reference}' (RiskRequest.Features).");
        }

        notes.Add("Inputs are point in time: each request is rendered from the facts recorded at or before its decision time; labels alone look ahead.");
        return notes;
    }

    /// <summary>
    /// The items as the risk metrics module wants them: (item, patient, unit, decision time, status, score, label,
    /// onset, exposure hours, strata). Kept here so that the switch to RiskAggregator is one call.
    /// </summary>
    internal IReadOnlyList<(string ItemId, string PatientId, string UnitId, DateTimeOffset AsOf, ItemStatus Status, double? Score, bool? Label, DateTimeOffset? Onset, double ExposureHours, IReadOnlyDictionary<string, string> Strata)> Observations(
        IReadOnlyList<ItemResult> results) =>
        results.Select(r =>
        {
            if (!_points.TryGetValue(r.ItemId, out var p))
            {
                // Results re-aggregated without this suite having loaded them (e.g. read back from items.jsonl):
                // the unit is in the item id (task/unit/time); onset and exposure are not known from the item alone.
                var parts = r.ItemId.Split('/');
                return (r.ItemId, r.ClusterId ?? "", parts.Length == 3 ? parts[1] : r.ItemId, r.AsOf ?? default, r.Status, r.Score, r.Label,
                    (DateTimeOffset?)null, Task.Decision.EveryHours, r.Strata);
            }

            return (r.ItemId, p.Patient.PatientId, p.UnitId, Timeline.Times.ToOffset(p.AsOf), r.Status, r.Score, r.Label,
                p.Onset is { } o ? Timeline.Times.ToOffset(o) : (DateTimeOffset?)null, p.ExposureHours, r.Strata);
        }).ToList();
}
