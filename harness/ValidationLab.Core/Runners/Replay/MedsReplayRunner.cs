using System.Globalization;
using ValidationLab.Errors;
using ValidationLab.Requests;

namespace ValidationLab.Runners.Replay;

/// <summary>
/// Answers risk requests from a MEDS label file (<see cref="MedsLabelReader"/>): a request is matched by
/// (<see cref="RiskRequest.PatientId"/> = <c>subject_id</c>, <see cref="RiskRequest.AsOf"/> = <c>prediction_time</c>)
/// where the times must be the same instant after both are normalised to UTC (no tolerance window: a prediction
/// made at another time saw different data). Two rows for one (subject, time) stop the run; rows matching no
/// request and requests without a row are counted and reported (errors under <c>strict: true</c>). A request
/// without a row, or whose row has no probability, is an errored item with the reason, never a wrong answer.
/// </summary>
public sealed class MedsReplayRunner : IModelRunner
{
    private static readonly IReadOnlySet<RequestKind> Kinds = new HashSet<RequestKind> { RequestKind.Risk };

    private readonly string _path;
    private readonly string _display;
    private readonly bool _strict;
    private Dictionary<(string Subject, long UtcTicks), MedsPrediction> _rows = [];

    public MedsReplayRunner(string path, string display, string model, bool strict)
    {
        _path = path;
        _display = display;
        _strict = strict;
        Identity = ReplayRunner.IdentityFor(path, model, "meds");
    }

    public RunnerIdentity Identity { get; }

    public IReadOnlySet<RequestKind> SupportedKinds => Kinds;

    public int MaxConcurrency => Environment.ProcessorCount;

    /// <summary>Rows that matched no planned request (after the last prepare).</summary>
    public int UnmatchedPredictions { get; private set; }

    public ValueTask<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<ModelRequest> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var rows = new MedsLabelReader().Read(_path, _display);
        if (rows.Count == 0)
        {
            throw new InputException("the MEDS label file has no rows", _display);
        }

        var byKey = new Dictionary<(string, long), MedsPrediction>();
        foreach (var row in rows)
        {
            var key = (row.SubjectId, row.PredictionTime.UtcTicks);
            if (!byKey.TryAdd(key, row))
            {
                throw new InputException(
                    $"subject '{row.SubjectId}' has a second prediction at {Utc(row.PredictionTime)} (the first is on line {byKey[key].Line.ToString(CultureInfo.InvariantCulture)})",
                    _display, row.Line, MedsLabelReader.TimeColumn);
            }
        }

        _rows = byKey;
        var risks = plan.OfType<RiskRequest>().ToList();
        var planned = risks.Select(Key).ToHashSet();
        var unmatched = rows.Where(r => !planned.Contains((r.SubjectId, r.PredictionTime.UtcTicks))).ToList();
        var missing = risks.Where(r => !byKey.ContainsKey(Key(r))).ToList();
        UnmatchedPredictions = unmatched.Count;

        var warnings = new List<string>();
        if (unmatched.Count > 0)
        {
            var first = unmatched[0];
            var message = $"{unmatched.Count} MEDS row(s) in {_display} match no decision point (first: subject '{first.SubjectId}' at {Utc(first.PredictionTime)} on line {first.Line}); times are matched as exact UTC instants";
            warnings.Add(_strict ? throw new InputException(message, _display, first.Line, MedsLabelReader.TimeColumn) : message);
        }

        if (missing.Count > 0)
        {
            var first = missing[0];
            var message = $"{missing.Count} decision point(s) have no MEDS row (first: subject '{first.PatientId}' at {Utc(first.AsOf)}); they are counted as errored, not wrong";
            warnings.Add(_strict ? throw new InputException(message, _display, field: MedsLabelReader.TimeColumn) : message);
        }

        return ValueTask.FromResult<IReadOnlyList<string>>(warnings);
    }

    public Task<ModelResponse> ExecuteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request is not RiskRequest risk)
        {
            return Task.FromResult(ModelResponse.Failed(request, "unsupported", $"a MEDS label file answers risk requests only, not {request.Kind}"));
        }

        if (!_rows.TryGetValue(Key(risk), out var row))
        {
            return Task.FromResult(ModelResponse.Failed(request, "no_prediction",
                $"no row in {_display} for subject '{risk.PatientId}' at {Utc(risk.AsOf)} (matched by exact instant in UTC)"));
        }

        if (row.Probability is not { } probability)
        {
            return Task.FromResult(ModelResponse.Failed(request, "no_probability",
                $"the row on line {row.Line.ToString(CultureInfo.InvariantCulture)} of {_display} has no {MedsLabelReader.ProbabilityColumn}"));
        }

        return Task.FromResult(ModelResponse.For(request) with
        {
            Probability = probability,
            Text = probability.ToString("R", CultureInfo.InvariantCulture),
            Method = "recorded:meds",
        });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static (string, long) Key(RiskRequest r) => (r.PatientId.Trim(), r.AsOf.UtcTicks);

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
