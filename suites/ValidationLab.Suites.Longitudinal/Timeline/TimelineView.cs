namespace ValidationLab.Suites.Longitudinal.Timeline;

/// <summary>
/// A patient as known at <see cref="AsOf"/>: the only window through which renderers, features and reference
/// scores see a timeline. It exposes facts with time &lt;= AsOf, encounters that had started by AsOf (an end
/// still in the future is hidden), and the demographics (which do not change). Point in time is therefore a
/// property of the type, not of the care of each caller.
/// </summary>
public readonly struct TimelineView
{
    private readonly PatientTimeline _timeline;
    private readonly int _count;

    internal TimelineView(PatientTimeline timeline, DateTime asOf)
    {
        _timeline = timeline;
        AsOf = asOf;
        _count = UpperBound(timeline.Facts, asOf);
    }

    public DateTime AsOf { get; }

    /// <summary>Which record this is a view of (so a walker knows when it moves on to another patient).</summary>
    internal PatientTimeline Timeline => _timeline;

    public string PatientId => _timeline.PatientId;

    public Demographics Demographics => _timeline.Demographics;

    /// <summary>Facts recorded at or before <see cref="AsOf"/>, oldest first.</summary>
    public ReadOnlySpan<Fact> Facts => _timeline.Facts.AsSpan(0, _count);

    /// <summary>Encounters started at or before AsOf; an end after AsOf reads as null (not yet known).</summary>
    public IEnumerable<Encounter> Encounters
    {
        get
        {
            var asOf = AsOf;
            return _timeline.Encounters
                .Where(e => e.Start <= asOf)
                .Select(e => e.End is { } end && end > asOf ? e with { End = null } : e);
        }
    }

    /// <summary>The last fact of a concept code (any system when <paramref name="system"/> is null), or null.</summary>
    public Fact? Last(Func<Concept, bool> match)
    {
        var facts = Facts;
        for (var i = facts.Length - 1; i >= 0; i--)
        {
            if (match(facts[i].Concept))
            {
                return facts[i];
            }
        }

        return null;
    }

    private static int UpperBound(Fact[] facts, DateTime t)
    {
        int lo = 0, hi = facts.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (facts[mid].Time <= t)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
