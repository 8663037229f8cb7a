using System.Collections.Concurrent;

namespace ValidationLab.Suites.Longitudinal.Timeline;

/// <summary>What a time-stamped fact is. Readers map every source record to one of these.</summary>
public enum FactKind : byte
{
    Observation,
    Lab,
    Vital,
    Condition,
    Medication,
    Procedure,
    Encounter,
    Admission,
    Discharge,
    Death,
    Note,
    Microbiology,
}

/// <summary>
/// A coded concept (system, code, display, unit), interned so that a million facts about heart rate share one
/// object. An unknown or empty system is kept as written: it is not an error.
/// </summary>
public sealed class Concept
{
    private static readonly ConcurrentDictionary<(FactKind, string, string, string, string), Concept> Interned = new();

    private Concept(FactKind kind, string system, string code, string display, string unit)
    {
        Kind = kind;
        System = system;
        Code = code;
        Display = display;
        Unit = unit;
    }

    public FactKind Kind { get; }

    public string System { get; }

    public string Code { get; }

    public string Display { get; }

    /// <summary>The unit values of this concept are in ("" when none).</summary>
    public string Unit { get; }

    public static Concept Of(FactKind kind, string? system, string? code, string? display, string? unit = null) =>
        Interned.GetOrAdd((kind, system ?? "", code ?? "", display ?? "", unit ?? ""),
            k => new Concept(k.Item1, k.Item2, k.Item3, k.Item4, k.Item5));

    public override string ToString() => $"{Kind} {System}|{Code} {Display}";
}

/// <summary>
/// One time-stamped fact of a patient. A struct of five words so that a week of hourly vitals for ten thousand
/// patients stays well under a gigabyte. <see cref="Time"/> is UTC (see <see cref="Times"/> for the rule).
/// </summary>
public readonly record struct Fact(DateTime Time, Concept Concept, double Value, string? Text, string? EncounterId)
{
    /// <summary>True when the fact carries a number (Value is NaN otherwise).</summary>
    public bool HasValue => !double.IsNaN(Value);

    public FactKind Kind => Concept.Kind;

    public static Fact Numeric(DateTime time, Concept concept, double value, string? encounterId = null) =>
        new(time, concept, value, null, encounterId);

    public static Fact Textual(DateTime time, Concept concept, string? text, string? encounterId = null) =>
        new(time, concept, double.NaN, text, encounterId);
}

/// <summary>Who the patient is, for slicing. Unknown fields are null. Death is kept as a fact, not here.</summary>
public sealed record Demographics
{
    public string? Sex { get; init; }

    public DateTime? BirthDate { get; init; }

    public string? Ethnicity { get; init; }

    public string? Insurance { get; init; }

    public string? Language { get; init; }

    public string? Site { get; init; }
}

/// <summary>
/// An encounter or admission. <see cref="Class"/> is normalised: "inpatient", "emergency", "ambulatory" (which
/// includes Synthea's wellness, outpatient and urgent care, as Synthea's FHIR export codes them all AMB), "icu".
/// </summary>
public sealed record Encounter(string Id, DateTime Start, DateTime? End, string Class, Concept? Type)
{
    /// <summary>Admission-level fields (insurance, language...) some sources record per encounter.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}

/// <summary>
/// A patient's whole record, facts sorted by time (stable for equal times, so the order is reproducible).
/// Immutable once built; the only way to look at it at a decision time is <see cref="TimelineView"/>.
/// </summary>
public sealed class PatientTimeline
{
    internal PatientTimeline(string patientId, Demographics demographics, IReadOnlyList<Encounter> encounters, Fact[] facts, string source)
    {
        PatientId = patientId;
        Demographics = demographics;
        Encounters = encounters;
        Facts = facts;
        Source = source;
    }

    public string PatientId { get; }

    public Demographics Demographics { get; }

    /// <summary>Sorted by start, then id.</summary>
    public IReadOnlyList<Encounter> Encounters { get; }

    /// <summary>Sorted by time; internal so that code outside the timeline layer reads through a view.</summary>
    internal Fact[] Facts { get; }

    /// <summary>Where the record came from ("fhir-bundle", "synthea-csv"...).</summary>
    public string Source { get; }

    /// <summary>The first death fact, when there is one.</summary>
    public DateTime? DeathTime
    {
        get
        {
            foreach (var f in Facts)
            {
                if (f.Kind == FactKind.Death)
                {
                    return f.Time;
                }
            }

            return null;
        }
    }

    /// <summary>Every fact, for label derivation only (labels look at the future by definition; inputs never do).</summary>
    internal ReadOnlySpan<Fact> AllFactsForLabels => Facts;

    public int FactCount => Facts.Length;

    /// <summary>The patient as known at <paramref name="asOf"/>.</summary>
    public TimelineView At(DateTime asOf) => new(this, asOf);
}

/// <summary>Collects one patient's facts in any order; <see cref="Build"/> sorts them.</summary>
public sealed class TimelineBuilder(string patientId)
{
    private readonly List<Fact> _facts = [];
    private readonly Dictionary<string, Encounter> _encounters = new(StringComparer.Ordinal);

    public string PatientId { get; } = patientId;

    public Demographics Demographics { get; set; } = new();

    public int FactCount => _facts.Count;

    public void Add(Fact fact) => _facts.Add(fact);

    public void AddEncounter(Encounter encounter) => _encounters[encounter.Id] = encounter;

    public bool TryGetEncounter(string id, out Encounter encounter) => _encounters.TryGetValue(id, out encounter!);

    /// <summary>True when the builder holds nothing a task could use (no fact, no encounter).</summary>
    public bool IsEmpty => _facts.Count == 0 && _encounters.Count == 0;

    /// <summary>Sort and freeze; the builder lets go of its facts, so a cohort is never held twice in memory.</summary>
    public PatientTimeline Build(string source)
    {
        var facts = _facts.ToArray();
        _facts.Clear();
        _facts.Capacity = 0;
        // Stable sort by time: equal times keep their reading order, which every reader makes deterministic.
        var order = new int[facts.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            var c = facts[a].Time.CompareTo(facts[b].Time);
            return c != 0 ? c : a.CompareTo(b);
        });
        var sorted = new Fact[facts.Length];
        for (var i = 0; i < order.Length; i++)
        {
            sorted[i] = facts[order[i]];
        }

        var encounters = _encounters.Values
            .OrderBy(e => e.Start).ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        return new PatientTimeline(PatientId, Demographics, encounters, sorted, source);
    }
}
