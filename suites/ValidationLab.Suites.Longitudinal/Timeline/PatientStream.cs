namespace ValidationLab.Suites.Longitudinal.Timeline;

/// <summary>
/// A cohort read one patient at a time, in patient id order (ordinal), so that memory holds one patient's record
/// rather than the cohort's. <see cref="Patients"/> can be enumerated once; the account of what was read (patients
/// without usable data, skipped resource types, orphan records) is complete when that enumeration has ended.
/// Readers that cannot stream (Bundles, CSV) hand over a cohort they read whole; see <see cref="Streamed"/>.
/// </summary>
public sealed class PatientStream
{
    private readonly IEnumerable<PatientTimeline> _patients;
    private readonly Func<IReadOnlyList<string>> _empty;
    private readonly Func<IReadOnlyDictionary<string, int>> _skipped;
    private readonly Func<int> _orphans;
    private bool _started;
    private bool _finished;
    private int _count;

    internal PatientStream(string format, IReadOnlyList<string> files, bool streamed, IEnumerable<PatientTimeline> patients,
        Func<IReadOnlyList<string>> empty, Func<IReadOnlyDictionary<string, int>> skipped, Func<int> orphans)
    {
        Format = format;
        Files = files;
        Streamed = streamed;
        _patients = patients;
        _empty = empty;
        _skipped = skipped;
        _orphans = orphans;
    }

    public string Format { get; }

    /// <summary>Every file read, for the run manifest.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>True when patients are read one at a time (plain or gzipped FHIR NDJSON); false when the reader read the cohort whole.</summary>
    public bool Streamed { get; }

    /// <summary>The patients with usable data, by id; enumerable once.</summary>
    public IEnumerable<PatientTimeline> Patients
    {
        get
        {
            if (_started)
            {
                throw new InvalidOperationException("a patient stream is read once");
            }

            _started = true;
            return Enumerate();
        }
    }

    /// <summary>What was read, without the timelines (Patients is empty; <see cref="PatientCount"/> says how many there were).</summary>
    public Cohort Account()
    {
        if (!_finished)
        {
            throw new InvalidOperationException("the account of a patient stream is known once every patient has been read");
        }

        return new Cohort
        {
            Format = Format,
            Patients = [],
            EmptyPatients = _empty(),
            Skipped = new SortedDictionary<string, int>(_skipped().ToDictionary(), StringComparer.Ordinal),
            Files = Files,
            Orphans = _orphans(),
        };
    }

    /// <summary>Patients with usable data read so far (all of them once the enumeration has ended).</summary>
    public int PatientCount => _count;

    /// <summary>Read every patient and keep them: the whole cohort in memory.</summary>
    public Cohort Collect()
    {
        var patients = Patients.ToList();
        return Account() with { Patients = patients };
    }

    private IEnumerable<PatientTimeline> Enumerate()
    {
        foreach (var p in _patients)
        {
            _count++;
            yield return p;
        }

        _finished = true;
    }

    /// <summary>A cohort read whole, handed over as a stream.</summary>
    internal static PatientStream Of(Cohort cohort) =>
        new(cohort.Format, cohort.Files, false, cohort.Patients, () => cohort.EmptyPatients, () => cohort.Skipped, () => cohort.Orphans);
}
