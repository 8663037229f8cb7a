using System.Collections.Concurrent;
using ValidationLab.Suites.Longitudinal.Scores;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Rendering;

/// <summary>
/// <see cref="FeatureBuilder"/> walked forward through one patient's decision points: the last value of each
/// feature is kept and only the facts recorded since the previous decision time are read, so a stay of n facts
/// with m decision points costs n + m, not n × m. It sees facts only through the <see cref="TimelineView"/> it is
/// given (facts at or before the decision time), so it stays point in time by construction; a view of another
/// patient, or of an earlier time, starts it again from the beginning of the record. Not thread-safe: one walker per
/// thread.
/// </summary>
public sealed class FeatureWalker
{
    // Catalog name and feature key per concept: concepts are interned, so a reference lookup replaces hashing
    // the system and code strings of every fact. The key is null for facts that give no feature.
    private static readonly ConcurrentDictionary<Concept, (string? Name, string? Key)> Keys = new(ReferenceEqualityComparer.Instance);

    private readonly Dictionary<string, double> _last = new(StringComparer.Ordinal);
    private readonly List<CreatinineResult> _creatinine = [];
    private PatientTimeline? _timeline;
    private DateTime _asOf;
    private int _read;
    private string? _acvpu;

    /// <summary>The features at the view's time (the same as <see cref="FeatureBuilder.Build"/> on that view).</summary>
    public SortedDictionary<string, double> Build(TimelineView view)
    {
        if (!ReferenceEquals(view.Timeline, _timeline) || view.AsOf < _asOf)
        {
            _timeline = view.Timeline;
            _last.Clear();
            _creatinine.Clear();
            _acvpu = null;
            _read = 0;
        }

        _asOf = view.AsOf;
        var facts = view.Facts;
        for (var i = _read; i < facts.Length; i++)
        {
            Read(facts[i]);
        }

        _read = facts.Length;
        return FeatureBuilder.Snapshot(view, _last, _acvpu, _creatinine);
    }

    private void Read(in Fact f)
    {
        if (f.Kind is not (FactKind.Vital or FactKind.Lab or FactKind.Observation))
        {
            return;
        }

        var (name, key) = Keys.GetOrAdd(f.Concept, static c =>
        {
            var n = FeatureCatalog.NameOf(c);
            return (n, c.Kind == FactKind.Observation && n is null ? null : n ?? $"{(c.Kind == FactKind.Vital ? "vital" : "lab")}:{c.Code}");
        });
        if (name == FeatureCatalog.Consciousness)
        {
            _acvpu = f.Text;
            return;
        }

        if (!f.HasValue || key is null)
        {
            return;
        }

        _last[key] = f.Value;
        if (name == FeatureCatalog.Creatinine)
        {
            _creatinine.Add(new CreatinineResult(f.Time, f.Value));
        }
    }
}
