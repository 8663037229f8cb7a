namespace ValidationLab.Suites.Longitudinal.Tasks;

/// <summary>
/// Adds up a task's counts patient by patient (<see cref="TaskEngine.Stream"/>), so they are known without holding
/// every decision point: decision points, positives, patients with a decision point, units, units with the outcome,
/// exclusions by reason, patients without a unit.
/// </summary>
public sealed class TaskCounter
{
    private readonly SortedDictionary<string, int> _excluded = new(StringComparer.Ordinal);
    private int _points;
    private int _positives;
    private int _patients;
    private int _units;
    private int _positiveUnits;
    private int _withoutUnit;

    public TaskCounts Counts => new(_points, _positives, _patients, _units, _positiveUnits, new SortedDictionary<string, int>(_excluded, StringComparer.Ordinal), _withoutUnit);

    internal void AddUnit(bool positive)
    {
        _units++;
        _positiveUnits += positive ? 1 : 0;
    }

    internal void AddPatient(bool hadUnit, IReadOnlyList<DecisionPoint> included, IReadOnlyList<DecisionPoint> excluded)
    {
        _withoutUnit += hadUnit ? 0 : 1;
        _patients += included.Count > 0 ? 1 : 0;
        _points += included.Count;
        foreach (var p in included)
        {
            _positives += p.Label == true ? 1 : 0;
        }

        foreach (var p in excluded)
        {
            _excluded[p.ExcludedBecause!] = _excluded.GetValueOrDefault(p.ExcludedBecause!) + 1;
        }
    }
}
