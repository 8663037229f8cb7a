using System.Globalization;
using ValidationLab.Results;
using ValidationLab.Statistics;
using ValidationLab.Suites.Longitudinal.Tasks;

namespace ValidationLab.Suites.Longitudinal;

/// <summary>
/// Aggregation: items become <see cref="Scoring.RiskObservation"/>s (with onset and exposure from the loaded decision
/// points) and <see cref="Scoring.RiskAggregator"/> computes the risk metrics with patient cluster bootstrap
/// intervals; the task's own counts and notes are added.
/// </summary>
public sealed partial class LongitudinalSuite
{
    public SuiteResult Aggregate(IReadOnlyList<ItemResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var unparseable = results.Count(r => r.Status == ItemStatus.Unparseable);
        var errored = results.Count(r => r.Status == ItemStatus.Errored);
        var counts = new SuiteCounts(results.Count, results.Count - unparseable - errored, unparseable, errored);
        var observations = Observations(results)
            .Select(o => new Scoring.RiskObservation(o.ItemId, o.PatientId, o.UnitId, o.AsOf, o.Status, o.Score, o.Label, o.Onset, o.ExposureHours, o.Strata))
            .ToList();
        var risk = Scoring.RiskAggregator.Aggregate(SuiteName, Mode, counts, observations, new Scoring.RiskAggregationOptions
        {
            Seed = Seed,
            Threshold = _options.Threshold,
            TargetAlertRate = _options.TargetAlertRate,
            BootstrapResamples = _options.BootstrapResamples,
        });
        var metrics = new SortedDictionary<string, MetricValue>(risk.Metrics.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
        foreach (var (name, value) in CountMetrics(results))
        {
            metrics.TryAdd(name, value);
        }

        var notes = new List<string>(TaskNotes(results));
        notes.AddRange(risk.Notes);
        notes.Add(errored == 0 ? "No decision point errored." : $"{errored} decision point(s) errored (no answer) and are left out of every metric; they are not counted as wrong.");
        if (unparseable > 0)
        {
            notes.Add($"{unparseable} text answer(s) gave no readable probability and are counted apart (unparseable), not scored.");
        }

        return risk with { Metrics = metrics, Notes = notes };
    }

    /// <summary>
    /// Counts that rest on the task, not on the model (task_*: every decision point the task defines, whatever its
    /// answer); the risk metrics' decision_points, patients and positive_decision_points count the scored ones only.
    /// </summary>
    internal SortedDictionary<string, MetricValue> CountMetrics(IReadOnlyList<ItemResult> results)
    {
        MetricValue Count(int v) => new(v, null, null, results.Count, "count") { Kind = MetricKind.Count };
        var metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal)
        {
            ["task_decision_points"] = Count(results.Count),
            ["task_positive_decision_points"] = Count(results.Count(r => r.Label == true)),
            ["task_patients"] = Count(results.Select(r => r.ClusterId).Distinct(StringComparer.Ordinal).Count()),
            ["task_excluded_decision_points"] = Count(_excludedCount),
            ["errored"] = Count(results.Count(r => r.Status == ItemStatus.Errored)),
            ["unparseable"] = Count(results.Count(r => r.Status == ItemStatus.Unparseable)),
        };
        return metrics;
    }

    /// <summary>
    /// The task in plain words and its counts, as the run prints them. The counts are those of the decision points
    /// that ran: with <c>--limit</c> (or any subset) they are counted from <paramref name="results"/>, and the whole
    /// task's counts follow, named as such.
    /// </summary>
    internal List<string> TaskNotes(IReadOnlyList<ItemResult>? results = null)
    {
        var notes = new List<string>
        {
            $"Task {Task.Name} ({Path.GetFileName(Task.File)}): {Task.Outcome} within {Task.HorizonHours.ToString(CultureInfo.InvariantCulture)} h; unit = {Task.Unit}, cluster = patient; decision points every {Task.Decision.EveryHours.ToString(CultureInfo.InvariantCulture)} h from {Task.Decision.FirstAfterHours.ToString(CultureInfo.InvariantCulture)} h after the unit starts, while it lasts and the patient is alive.",
        };
        if (Counts is { } c)
        {
            var whole = $"{c.DecisionPoints} decision points ({c.Positives} positive) from {c.Patients} patients and {c.Units} units ({c.PositiveUnits} with the outcome)";
            if (results is null || results.Count == c.DecisionPoints)
            {
                notes.Add($"Counts: {whole}.");
            }
            else
            {
                var units = results.GroupBy(UnitOf, StringComparer.Ordinal).ToList();
                notes.Add($"Counts: {results.Count} of the task's {c.DecisionPoints} decision points ran (a limited run): {results.Count(r => r.Label == true)} positive, " +
                    $"from {results.Select(r => r.ClusterId).Distinct(StringComparer.Ordinal).Count()} patients and {units.Count} units ({units.Count(u => u.Any(r => r.Label == true))} with a positive decision point among those that ran).");
                notes.Add($"The whole task: {whole}.");
            }

            notes.Add(c.Excluded.Count == 0 ? "No decision point was excluded." : "Excluded decision points: " + string.Join("; ", c.Excluded.Select(kv => $"{kv.Value} because {kv.Key}")) + ".");
            if (c.PatientsWithoutUnit > 0)
            {
                notes.Add($"{c.PatientsWithoutUnit} patient(s) had no {Task.Unit} and gave no decision point.");
            }
        }

        if (Cohort is { } cohort)
        {
            notes.Add($"Data: {cohort.Format}, {_patientsWithData} patients with usable data" +
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

    /// <summary>The unit of a result: from its loaded decision point, else from its id (task/unit/time).</summary>
    private string UnitOf(ItemResult r) =>
        _points.TryGetValue(r.ItemId, out var p) ? p.UnitId : r.ItemId.Split('/') is { Length: 3 } parts ? parts[1] : r.ItemId;

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

            return (r.ItemId, p.PatientId, p.UnitId, Timeline.Times.ToOffset(p.AsOf), r.Status, r.Score, r.Label,
                p.Onset is { } o ? Timeline.Times.ToOffset(o) : (DateTimeOffset?)null, p.ExposureHours, r.Strata);
        }).ToList();
}
