using ValidationLab.Errors;
using ValidationLab.Items;
using ValidationLab.Suites.Longitudinal.Readers;
using ValidationLab.Suites.Longitudinal.Tasks;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal;

/// <summary>
/// Streaming (<see cref="IStreamingSuite"/>): the index pass reads the cohort patient by patient and keeps, per
/// decision point, its id, patient, strata and the few facts aggregation needs (<see cref="PointFacts"/>), never the
/// timeline; <see cref="Load"/> reads the patients again and hands out the chosen decision points patient by
/// patient, each carrying its patient's timeline only while its chunk is answered. A run then holds the largest
/// patient and the pipeline's chunk, not the cohort.
/// </summary>
public sealed partial class LongitudinalSuite
{
    /// <summary>The patients of a format that is read whole anyway (Bundles, CSV): kept from the index pass instead of read twice.</summary>
    private IReadOnlyList<PatientTimeline>? _readWhole;

    public Task<IReadOnlyList<EvalItem>> IndexAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stream = TimelineReader.Open(_dataPath, _options.Format);
        var counter = new TaskCounter();
        var items = new List<EvalItem>();
        var points = new Dictionary<string, PointFacts>(StringComparer.Ordinal);
        var whole = stream.Streamed ? null : new List<PatientTimeline>();
        var excluded = 0;
        foreach (var (patient, included, left) in TaskEngine.Stream(Task, stream.Patients, counter))
        {
            cancellationToken.ThrowIfCancellationRequested();
            whole?.Add(patient);
            excluded += left.Count;
            foreach (var p in included)
            {
                // The index holds no payload: an item of it keeps its patient's id, not its patient.
                items.Add(new EvalItem { Id = p.Id, ClusterId = p.Patient.PatientId, Strata = p.Strata, Input = "", Gold = Gold(p), Source = _source });
                points.Add(p.Id, PointFacts.Of(p));
            }
        }

        Cohort = stream.Account();
        Counts = counter.Counts;
        Excluded = [];
        _excludedCount = excluded;
        _patientsWithData = stream.PatientCount;
        _points = points;
        _readWhole = whole;
        _inputFiles = [_options.TaskPath, .. Cohort.Files];
        return System.Threading.Tasks.Task.FromResult<IReadOnlyList<EvalItem>>(items);
    }

    public int CountRequests(EvalItem indexed) => 1;

    public IEnumerable<IReadOnlyList<EvalItem>> Load(IReadOnlyList<EvalItem> chosen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chosen);
        if (chosen.Count == 0)
        {
            yield break;
        }

        // The chosen items are a subsequence of the index, which is the order patients and their points come in:
        // one cursor matches them, without a set of every id.
        var next = 0;
        var patients = _readWhole ?? TimelineReader.Open(_dataPath, _options.Format).Patients;
        foreach (var (_, included, _) in TaskEngine.Stream(Task, patients, new TaskCounter()))
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<EvalItem>? items = null;
            foreach (var p in included)
            {
                if (next < chosen.Count && string.Equals(p.Id, chosen[next].Id, StringComparison.Ordinal))
                {
                    (items ??= []).Add(Item(p));
                    next++;
                }
            }

            if (items is not null)
            {
                yield return items;
            }

            if (next == chosen.Count)
            {
                // A limited run (the first N points) reads no further than the patient of its last point.
                yield break;
            }
        }

        throw new InputException(
            $"the data changed while the run read it: decision point '{chosen[next].Id}' was in the first read and is not in the second",
            _dataPath, null, "data");
    }
}

/// <summary>What aggregation needs of a decision point besides its result, without the patient's timeline.</summary>
internal sealed record PointFacts(string PatientId, string UnitId, DateTime AsOf, DateTime? Onset, double ExposureHours)
{
    public static PointFacts Of(DecisionPoint p) => new(p.Patient.PatientId, p.UnitId, p.AsOf, p.Onset, p.ExposureHours);
}
