using System.Globalization;
using ValidationLab.Suites.Longitudinal.Rendering;
using ValidationLab.Suites.Longitudinal.Scores;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Tasks;

/// <summary>One decision point: a patient at time t within a unit, with its label and how the label was derived.</summary>
public sealed record DecisionPoint
{
    public required string Id { get; init; }

    public required PatientTimeline Patient { get; init; }

    public required string UnitId { get; init; }

    public required DateTime AsOf { get; init; }

    /// <summary>Null when the point is excluded.</summary>
    public bool? Label { get; init; }

    private string? _explanation;
    private Func<string>? _explain;

    /// <summary>The event that made the label positive, or why it is negative, or why excluded (written when first read).</summary>
    public string Explanation
    {
        get => _explanation ??= _explain?.Invoke() ?? "";
        init => _explanation = value;
    }

    /// <summary>Writes <see cref="Explanation"/> on demand.</summary>
    internal Func<string> Explain
    {
        init => _explain = value;
    }

    /// <summary>The reason of the exclusion that removed the point, or null.</summary>
    public string? ExcludedBecause { get; init; }

    /// <summary>The earliest outcome event that made any decision point of the unit positive (for lead time).</summary>
    public DateTime? Onset { get; init; }

    /// <summary>The time this decision point covers until the next one (for alerts per 100 patient-days).</summary>
    public double ExposureHours { get; init; }

    public required IReadOnlyDictionary<string, string> Strata { get; init; }

    /// <summary>The patient as known at <see cref="AsOf"/>: the only thing inputs are built from.</summary>
    public TimelineView View => Patient.At(AsOf);
}

/// <summary>Counts a run prints for a task: decision points, positives, patients, exclusions by reason.</summary>
public sealed record TaskCounts(int DecisionPoints, int Positives, int Patients, int Units, int PositiveUnits, IReadOnlyDictionary<string, int> Excluded, int PatientsWithoutUnit);

/// <summary>Turns a cohort and a task definition into labelled decision points. Labels read the future by definition; inputs never do (see <see cref="TimelineView"/>).</summary>
public static partial class TaskEngine
{
    private readonly record struct Event(DateTime Time, string What);

    public static (IReadOnlyList<DecisionPoint> Included, IReadOnlyList<DecisionPoint> Excluded, TaskCounts Counts) Run(TaskDefinition task, Cohort cohort)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(cohort);
        var included = new List<DecisionPoint>();
        var excluded = new List<DecisionPoint>();
        var counter = new TaskCounter();
        foreach (var (_, inc, exc) in Stream(task, cohort.Patients, counter))
        {
            included.AddRange(inc);
            excluded.AddRange(exc);
        }

        return (included, excluded, counter.Counts);
    }

    /// <summary>
    /// The decision points of one patient after another, so that a cohort read patient by patient is never held
    /// whole; <paramref name="counter"/> adds up the task's counts as patients go by.
    /// </summary>
    public static IEnumerable<(PatientTimeline Patient, IReadOnlyList<DecisionPoint> Included, IReadOnlyList<DecisionPoint> Excluded)> Stream(
        TaskDefinition task, IEnumerable<PatientTimeline> patients, TaskCounter counter)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(patients);
        ArgumentNullException.ThrowIfNull(counter);
        var k = task.Label.MinCount((m, f) => new ValidationLab.Errors.InputException(m, task.File, null, f));
        foreach (var patient in patients)
        {
            var (included, excluded) = Patient(task, k, patient, counter);
            yield return (patient, included, excluded);
        }
    }

    private static (List<DecisionPoint> Included, List<DecisionPoint> Excluded) Patient(TaskDefinition task, int k, PatientTimeline patient, TaskCounter counter)
    {
        var included = new List<DecisionPoint>();
        var excluded = new List<DecisionPoint>();
        var death = patient.DeathTime;
        var labelEvents = Events(patient, task.Label.Events);
        var exclusionEvents = task.Exclude.Select(x => Events(patient, x.Events)).ToList();
        var any = false;
        foreach (var (unitId, start, end) in Units(task, patient))
        {
            any = true;
            var points = new List<DecisionPoint>();
            var strata = Strata(patient, unitId, start); // one dictionary per unit, shared by its decision points
            var unit = new UnitEvents(task, labelEvents, start, end);
            var stop = death is { } d && d < end ? d : end;
            for (var t = start.AddHours(task.Decision.FirstAfterHours); t < stop; t = t.AddHours(task.Decision.EveryHours))
            {
                points.Add(Point(task, k, patient, unitId, start, end, t, Math.Min(task.Decision.EveryHours, (stop - t).TotalHours), unit, exclusionEvents, strata));
            }

            DateTime? onset = null;
            foreach (var p in points)
            {
                if (p.Label == true && p.Onset is { } o && (onset is null || o < onset))
                {
                    onset = o;
                }
            }

            foreach (var p in points)
            {
                (p.ExcludedBecause is null ? included : excluded).Add(p with { Onset = onset });
            }

            counter.AddUnit(onset is not null);
        }

        counter.AddPatient(any, included, excluded);
        return (included, excluded);
    }

    private static IEnumerable<(string Id, DateTime Start, DateTime End)> Units(TaskDefinition task, PatientTimeline patient)
    {
        if (task.Unit == "admission")
        {
            foreach (var e in patient.Encounters)
            {
                if (e.Class == "inpatient" && e.End is { } end)
                {
                    yield return (e.Id, e.Start, end);
                }
            }

            yield break;
        }

        if (patient.Encounters.Count == 0)
        {
            yield break;
        }

        var first = patient.Encounters[0].Start;
        var last = patient.Encounters.Max(e => e.End ?? e.Start);
        yield return (patient.PatientId, first, last);
    }

    private static DecisionPoint Point(TaskDefinition task, int k, PatientTimeline patient, string unitId, DateTime unitStart, DateTime unitEnd, DateTime t,
        double exposure, UnitEvents unit, List<List<Event>> exclusionEvents, IReadOnlyDictionary<string, string> strata)
    {
        var id = $"{task.Name}/{unitId}/{t.ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture)}";
        for (var i = 0; i < task.Exclude.Count; i++)
        {
            var x = task.Exclude[i];
            var from = x.Window.FromUnitStart ? unitStart : t.AddHours(x.Window.AfterHours);
            var until = t.AddHours(x.Window.UntilHours);
            var events = exclusionEvents[i];
            // Events are sorted by time: the first one in the window is the first after its start.
            var at = x.Window.FromUnitStart ? FirstAtOrAfter(events, from) : FirstAfter(events, from);
            if (at < events.Count && events[at].Time <= until)
            {
                var hit = events[at];
                return new DecisionPoint
                {
                    Id = id, Patient = patient, UnitId = unitId, AsOf = t, Label = null, ExcludedBecause = x.Reason, Strata = strata, ExposureHours = exposure,
                    Explain = () => $"excluded: {x.Reason} ({hit.What} at {Times.Format(hit.Time)})",
                };
            }
        }

        var w = task.Label.Window;
        var lo = t.AddHours(w.AfterHours);
        var hi = t.AddHours(w.UntilHours);
        if (task.Decision.RequireFollowUp && hi > unitEnd)
        {
            return new DecisionPoint
            {
                Id = id, Patient = patient, UnitId = unitId, AsOf = t, Label = null, ExcludedBecause = "follow-up shorter than the horizon", Strata = strata, ExposureHours = exposure,
                Explain = () => $"excluded: the record ends at {Times.Format(unitEnd)}, before the end of the window {Times.Format(hi)}",
            };
        }

        // The explanation is text a reviewer reads for the items that are kept: it is written when first asked for,
        // not at each of hundreds of thousands of decision points.
        string WindowText() => $"({Times.Format(lo)}, {Times.Format(hi)}]";
        bool label;
        Func<string> explain;
        DateTime? cause = null;
        if (task.Label.Combine == "first")
        {
            var first = unit.Count > 0 ? unit.Events[unit.From] : default;
            label = first.What is not null && first.Time > lo && first.Time <= hi;
            explain = label
                ? () => $"positive: first {first.What} at {Times.Format(first.Time)}, {Hours(first.Time - t)} h after the decision time, within {WindowText()}"
                : first.What is null ? () => $"negative: no {Describe(task.Label.Events)} {(task.Label.WithinUnit ? "during the unit" : "in the record")}"
                : () => $"negative: the first {first.What} at {Times.Format(first.Time)} is outside {WindowText()}";
            cause = label ? first.Time : null;
        }
        else
        {
            var (count, kth) = unit.InWindow(lo, hi, k);
            label = count >= k;
            explain = label
                ? () => $"positive: {kth.What} at {Times.Format(kth.Time)}, {Hours(kth.Time - t)} h after the decision time, within {WindowText()}{(k > 1 ? $" ({count} events, needed {k})" : "")}"
                : () => $"negative: {(count == 0 ? "no" : $"only {count} (needed {k})")} {Describe(task.Label.Events)} in {WindowText()}{(task.Label.WithinUnit ? $"; the unit ended at {Times.Format(unitEnd)}" : "")}";
            cause = label ? kth.Time : null;
        }

        return new DecisionPoint
        {
            Id = id, Patient = patient, UnitId = unitId, AsOf = t, Label = label, Explain = explain, Onset = cause, Strata = strata, ExposureHours = exposure,
        };
    }

    private static string Hours(TimeSpan span) => span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Describe(List<EventSpec> events) => string.Join(" or ", events.Select(e => e.Type switch
    {
        "encounter" => string.Join("/", e.Classes) + " encounter",
        "fact" => (e.Kinds.Count > 0 ? string.Join("/", e.Kinds) : "fact") + (e.Codes.Count > 0 ? " " + string.Join("/", e.Codes) : "") + (e.Op is null ? "" : $" {e.Op} {e.Threshold?.ToString(CultureInfo.InvariantCulture)}"),
        "kdigo_creatinine" => "KDIGO creatinine criterion",
        var other => other,
    }));

    private static List<Event> Events(PatientTimeline patient, List<EventSpec> specs)
    {
        var events = new List<Event>();
        foreach (var spec in specs)
        {
            switch (spec.Type)
            {
                case "death":
                    foreach (var f in patient.AllFactsForLabels)
                    {
                        if (f.Kind == FactKind.Death)
                        {
                            events.Add(new Event(f.Time, "death"));
                        }
                    }

                    break;
                case "encounter":
                    foreach (var e in patient.Encounters)
                    {
                        if (spec.Classes.Contains(e.Class, StringComparer.Ordinal))
                        {
                            events.Add(new Event(e.Start, $"{e.Class} encounter {e.Id} ({e.Type?.Display})"));
                        }
                    }

                    break;
                case "fact":
                    var kinds = spec.Kinds.Select(k => Enum.Parse<FactKind>(k, ignoreCase: true)).ToHashSet();
                    foreach (var f in patient.AllFactsForLabels)
                    {
                        if ((kinds.Count == 0 || kinds.Contains(f.Kind)) && CodeMatches(spec, f.Concept) && ValueMatches(spec, f))
                        {
                            var value = f.HasValue ? $" = {f.Value.ToString(CultureInfo.InvariantCulture)}{(f.Concept.Unit.Length > 0 ? " " + f.Concept.Unit : "")}" : "";
                            events.Add(new Event(f.Time, $"{f.Kind.ToString().ToLowerInvariant()} '{f.Concept.Display}' ({f.Concept.System}|{f.Concept.Code}){value}"));
                        }
                    }

                    break;
                case "kdigo_creatinine":
                    var results = new List<CreatinineResult>();
                    foreach (var f in patient.AllFactsForLabels)
                    {
                        if (f.HasValue && FeatureCatalog.Is(f.Concept, FeatureCatalog.Creatinine))
                        {
                            results.Add(new CreatinineResult(f.Time, f.Value));
                        }
                    }

                    for (var i = 0; i < results.Count; i++)
                    {
                        if (Kdigo.Criterion(results, i) is { } finding)
                        {
                            events.Add(new Event(finding.Time, "AKI: " + finding.Reason));
                        }
                    }

                    break;
            }
        }

        events.Sort((a, b) => a.Time.CompareTo(b.Time));
        return events;
    }

    private static bool CodeMatches(EventSpec spec, Concept c)
    {
        if (spec.Codes.Count == 0)
        {
            return true;
        }

        foreach (var code in spec.Codes)
        {
            var bar = code.IndexOf('|');
            if (bar < 0 ? c.Code == code : c.System == code[..bar] && c.Code == code[(bar + 1)..])
            {
                return true;
            }
        }

        return false;
    }

    private static bool ValueMatches(EventSpec spec, Fact f) => spec.Op is null || f.HasValue && spec.Op switch
    {
        ">" => f.Value > spec.Threshold,
        ">=" => f.Value >= spec.Threshold,
        "<" => f.Value < spec.Threshold,
        "<=" => f.Value <= spec.Threshold,
        _ => f.Value == spec.Threshold,
    };

    /// <summary>
    /// Fields results are sliced by: the patient's demographics, with the admission's own values where it records
    /// them (MIMIC). The age band is the age at the start of the unit, so one unit never straddles two bands.
    /// </summary>
    private static SortedDictionary<string, string> Strata(PatientTimeline patient, string unitId, DateTime t)
    {
        var d = patient.Demographics;
        var s = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Put(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                s[key] = value;
            }
        }

        Put("sex", d.Sex);
        Put("ethnicity", d.Ethnicity);
        Put("insurance", d.Insurance);
        Put("language", d.Language);
        Put("site", d.Site);
        if (d.BirthDate is { } b)
        {
            var age = (t - b).TotalDays / 365.25;
            Put("age_band", age < 18 ? "<18" : age < 45 ? "18-44" : age < 65 ? "45-64" : age < 80 ? "65-79" : "80+");
        }

        var unit = patient.Encounters.FirstOrDefault(e => e.Id == unitId);
        if (unit?.Attributes is { } attributes)
        {
            foreach (var (key, value) in attributes)
            {
                Put(key, value);
            }
        }

        return s;
    }
}
