using ValidationLab.Results;
using ValidationLab.Statistics.EarlyWarning;

namespace ValidationLab.Suites.Longitudinal.Scoring;

/// <summary>
/// The usable decision points of a set of observations as arrays on one clock (hours since the earliest decision
/// time), patients and units numbered in ordinal order of their ids so that the result does not depend on item order.
/// </summary>
internal sealed class RiskData
{
    private RiskData(DecisionPointSet set, IReadOnlyList<RiskObservation> rows)
    {
        Set = set;
        Rows = rows;
    }

    public DecisionPointSet Set { get; }

    /// <summary>The observations behind <see cref="Set"/>, in the same (canonical) order.</summary>
    public IReadOnlyList<RiskObservation> Rows { get; }

    /// <summary>True when a scored observation can enter the metrics: a finite probability and a label.</summary>
    public static bool IsUsable(RiskObservation o) =>
        o.Status == ItemStatus.Scored && o.Score is double s && s is >= 0.0 and <= 1.0 && o.Label is not null
        && double.IsFinite(o.ExposureHours) && o.ExposureHours >= 0.0;

    /// <summary>Null when no observation is usable.</summary>
    public static RiskData? From(IEnumerable<RiskObservation> observations)
    {
        // Canonical order: the bootstrap numbers clusters by first appearance, so item order must not leak into intervals.
        var rows = observations.Where(IsUsable)
            .OrderBy(r => r.PatientId, StringComparer.Ordinal)
            .ThenBy(r => r.UnitId, StringComparer.Ordinal)
            .ThenBy(r => r.AsOf)
            .ThenBy(r => r.ItemId, StringComparer.Ordinal)
            .ToList();
        if (rows.Count == 0)
        {
            return null;
        }

        var patientIndex = Index(rows.Select(r => r.PatientId));
        var unitIndex = Index(rows.Select(UnitKey));
        var origin = rows.Min(r => r.AsOf);
        double Hours(DateTimeOffset t) => (t - origin).TotalHours;
        var set = new DecisionPointSet(
            rows.Select(r => r.Score!.Value).ToArray(),
            rows.Select(r => r.Label!.Value).ToArray(),
            rows.Select(r => patientIndex[r.PatientId]).ToArray(),
            rows.Select(r => unitIndex[UnitKey(r)]).ToArray(),
            rows.Select(r => Hours(r.AsOf)).ToArray(),
            rows.Select(r => r.Onset is { } onset ? Hours(onset) : double.NaN).ToArray(),
            rows.Select(r => r.ExposureHours).ToArray());
        return new RiskData(set, rows);
    }

    // A unit id is only unique within its patient as far as we know: key it by both.
    private static string UnitKey(RiskObservation r) => r.PatientId + "\u001f" + r.UnitId;

    private static Dictionary<string, int> Index(IEnumerable<string> ids)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            index.Add(id, index.Count);
        }

        return index;
    }
}
