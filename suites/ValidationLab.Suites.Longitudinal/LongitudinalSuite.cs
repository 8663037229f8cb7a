using System.Globalization;
using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Suites.Longitudinal.Readers;
using ValidationLab.Suites.Longitudinal.Rendering;
using ValidationLab.Suites.Longitudinal.Tasks;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal;

/// <summary>
/// Longitudinal case replay. Loading reads the timelines and the task, and derives every decision point with its
/// label; requests are rendered from a point-in-time view of the timeline (facts at or before the decision time
/// only), so the model never sees the future. A risk runner answers a probability; a text runner answers a
/// sentence from which the probability is read (unreadable answers are counted apart, never guessed).
/// </summary>
public sealed partial class LongitudinalSuite : ISuite, IStreamingSuite
{
    public const string SuiteName = "longitudinal";

    public const string Question =
        "Based only on the record above, what is the probability (a number between 0 and 1) that this patient will have {0} within the next {1} hours? Reply with one line: Probability: <number between 0 and 1>.";

    public const string SystemMessage =
        "You are a clinical decision-support model replaying a patient's record as it was known at one moment. Give a calibrated probability.";

    private readonly string _dataPath;
    private readonly LongitudinalSuiteOptions _options;
    private readonly string _source;
    private List<string> _inputFiles;
    private Dictionary<string, PointFacts> _points = new(StringComparer.Ordinal);
    private int _excludedCount;
    private int _patientsWithData;
    private FeatureWalker? _walker;

    public LongitudinalSuite(string dataPath, LongitudinalSuiteOptions options, int seed = 0)
    {
        Seed = seed;
        ArgumentNullException.ThrowIfNull(dataPath);
        ArgumentNullException.ThrowIfNull(options);
        _dataPath = dataPath;
        _options = options;
        Task = TaskDefinition.Load(options.TaskPath);
        _inputFiles = [options.TaskPath];
        _source = $"{Task.File}: {Task.Name}";
    }

    public string Name => SuiteName;

    /// <summary>The run's seed, for the patient-level bootstrap of the risk metrics.</summary>
    public int Seed { get; }

    public string Mode => _options.Generate ? "generate" : "risk";

    public TaskDefinition Task { get; }

    /// <summary>Set by <see cref="LoadAsync"/>.</summary>
    public Cohort? Cohort { get; private set; }

    /// <summary>Set by <see cref="LoadAsync"/>.</summary>
    public TaskCounts? Counts { get; private set; }

    /// <summary>The decision points left out, each with its reason (set by <see cref="LoadAsync"/>).</summary>
    public IReadOnlyList<DecisionPoint> Excluded { get; private set; } = [];

    public IReadOnlySet<RequestKind> RequiredKinds => new HashSet<RequestKind> { _options.Generate ? RequestKind.Generate : RequestKind.Risk };

    public IReadOnlyList<string> InputFiles => _inputFiles;

    public Task<IReadOnlyList<EvalItem>> LoadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var cohort = TimelineReader.Read(_dataPath, _options.Format);
        var (included, excluded, counts) = TaskEngine.Run(Task, cohort);
        Cohort = cohort;
        Counts = counts;
        Excluded = excluded;
        _excludedCount = excluded.Count;
        _patientsWithData = cohort.Patients.Count;
        _points = included.ToDictionary(p => p.Id, PointFacts.Of, StringComparer.Ordinal);
        _inputFiles = [_options.TaskPath, .. cohort.Files];
        IReadOnlyList<EvalItem> items = included.Select(Item).ToList();
        return System.Threading.Tasks.Task.FromResult(items);
    }

    /// <summary>A decision point as the pipeline sees it, carrying the point (and through it the patient) as payload.</summary>
    private EvalItem<DecisionPoint> Item(DecisionPoint p) => new()
    {
        Id = p.Id,
        ClusterId = p.Patient.PatientId,
        Strata = p.Strata,
        Input = $"patient {p.Patient.PatientId}, {Task.Unit} {p.UnitId}, as of {Times.Format(p.AsOf)}",
        Gold = Gold(p),
        Source = _source,
        Payload = p,
    };

    private static string Gold(DecisionPoint p) => p.Label == true ? "event" : "no event";

    public IReadOnlyList<ModelRequest> CreateRequests(EvalItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var point = Point(item);
        var view = point.View; // the only way in: facts at or before the decision time
        // Items come in decision-time order per patient: the walker reads only the facts since the previous one.
        var walker = Interlocked.Exchange(ref _walker, null) ?? new FeatureWalker();
        var features = walker.Build(view);
        Volatile.Write(ref _walker, walker);
        var context = ContextRenderer.Render(view, _options.TokenBudget, features);
        var messages = Messages(context);
        return _options.Generate
            ? [new GenerateRequest { Suite = SuiteName, ItemId = item.Id, Messages = messages, Decoding = DecodingParameters.Greedy with { MaxTokens = _options.MaxTokens } }]
            : [new RiskRequest
            {
                Suite = SuiteName,
                ItemId = item.Id,
                PatientId = point.Patient.PatientId,
                AsOf = Times.ToOffset(point.AsOf),
                Outcome = Task.Outcome,
                HorizonHours = Task.HorizonHours,
                Context = context,
                Features = features,
                Messages = messages,
            }];
    }

    /// <summary>The fixed chat framing: the record, then the question asking for a probability.</summary>
    public IReadOnlyList<ChatMessage> Messages(string context) =>
    [
        new("system", SystemMessage),
        new("user", context + "\n" + string.Format(CultureInfo.InvariantCulture, Question, Task.Outcome, Task.HorizonHours)),
    ];

    public ItemResult Score(EvalItem item, IReadOnlyList<ModelRequest> requests, IReadOnlyList<ModelResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(responses);
        var point = Point(item);
        var request = requests.Count > 0 ? requests[0] : null;
        var response = responses.Count > 0 ? responses[0] : null;
        var input = request switch
        {
            RiskRequest r => r.Context,
            GenerateRequest g => g.Messages[^1].Content,
            _ => item.Input,
        };
        var result = new ItemResult
        {
            Suite = SuiteName,
            ItemId = item.Id,
            ClusterId = item.ClusterId,
            Strata = item.Strata,
            Status = ItemStatus.Errored,
            PromptHash = request is null ? null : RequestHasher.Hash(request),
            Input = input,
            Gold = item.Gold,
            Label = point.Label,
            AsOf = Times.ToOffset(point.AsOf),
            Explanation = point.Explanation,
        };
        if (response is null)
        {
            return result with { Error = "no_response: the runner returned nothing", Explanation = point.Explanation + "; no answer" };
        }

        result = result with { LatencyMs = response.LatencyMs, Response = response.Text ?? response.Probability?.ToString("R", CultureInfo.InvariantCulture) };
        if (response.Error is { } error)
        {
            return result with { Error = $"{error.Kind}: {error.Message}", Explanation = point.Explanation + "; no answer (errored, not scored)" };
        }

        if (response.Probability is { } p)
        {
            if (!double.IsFinite(p) || p < 0 || p > 1)
            {
                return result with { Error = $"invalid_probability: {p.ToString("R", CultureInfo.InvariantCulture)} is outside [0, 1]", Explanation = point.Explanation + "; the runner's probability is outside [0, 1] (errored, not scored)" };
            }

            return result with { Status = ItemStatus.Scored, Score = p, Prediction = p.ToString("0.####", CultureInfo.InvariantCulture), Explanation = $"{point.Explanation}; model probability {p.ToString("0.####", CultureInfo.InvariantCulture)}" };
        }

        if (ProbabilityParser.TryParse(response.Text, out var parsed, out var reason))
        {
            return result with { Status = ItemStatus.Scored, Score = parsed, Prediction = parsed.ToString("0.####", CultureInfo.InvariantCulture), Explanation = $"{point.Explanation}; {reason}" };
        }

        return result with { Status = ItemStatus.Unparseable, Explanation = $"{point.Explanation}; unparseable answer: {reason}" };
    }

    private static DecisionPoint Point(EvalItem item) => item is EvalItem<DecisionPoint> point
        ? point.Payload
        : throw new ArgumentException($"item '{item.Id}' is not a longitudinal decision point", nameof(item));
}
