namespace ValidationLab.Suites.Longitudinal.Timeline;

/// <summary>What a reader read: the patients with usable data, and an account of everything else.</summary>
public sealed record Cohort
{
    public required string Format { get; init; }

    /// <summary>Patients with at least one fact or encounter, ordered by id.</summary>
    public required IReadOnlyList<PatientTimeline> Patients { get; init; }

    /// <summary>Patients present in the source with nothing a task can use (no fact, no encounter), by id.</summary>
    public IReadOnlyList<string> EmptyPatients { get; init; } = [];

    /// <summary>Resource types or files read but not used, with how many records each had.</summary>
    public IReadOnlyDictionary<string, int> Skipped { get; init; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Every file read, for the run manifest.</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Records that referred to a patient absent from the source (counted, not an error).</summary>
    public int Orphans { get; init; }

    internal static Cohort From(string format, IEnumerable<TimelineBuilder> builders, IReadOnlyList<string> files,
        IReadOnlyDictionary<string, int> skipped, int orphans)
    {
        var patients = new List<PatientTimeline>();
        var empty = new List<string>();
        foreach (var b in builders.OrderBy(b => b.PatientId, StringComparer.Ordinal))
        {
            if (b.IsEmpty)
            {
                empty.Add(b.PatientId);
            }
            else
            {
                patients.Add(b.Build(format));
            }
        }

        return new Cohort
        {
            Format = format,
            Patients = patients,
            EmptyPatients = empty,
            Skipped = new SortedDictionary<string, int>(skipped.ToDictionary(), StringComparer.Ordinal),
            Files = files,
            Orphans = orphans,
        };
    }
}
