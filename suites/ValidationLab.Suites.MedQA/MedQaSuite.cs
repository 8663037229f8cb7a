using System.Globalization;
using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Suites.MedQA.Counterfactual;

namespace ValidationLab.Suites.MedQA;

/// <summary>
/// MedQA (USMLE-style multiple choice) scored by log-likelihood over option letters or by reading the letter from
/// a generated answer. Loading reads and validates the questions and, for k-shot, the exemplar file; requests
/// are built only after loading because the exemplars are part of every prompt.
/// </summary>
public sealed class MedQaSuite : ISuite, ISubsetAggregator
{
    public const string SuiteName = "medqa";

    private readonly string _dataPath;
    private readonly MedQaSuiteOptions _options;
    private readonly int _seed;
    private MedQaPromptBuilder? _prompts;
    private SexSwapProbe? _probe;

    public MedQaSuite(string dataPath, MedQaSuiteOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataPath);
        ArgumentNullException.ThrowIfNull(options);
        _dataPath = dataPath;
        _options = options;
        _seed = seed;
        InputFiles = options.Shots > 0 && options.ExemplarsPath is { } exemplars ? [dataPath, exemplars] : [dataPath];
    }

    public string Name => SuiteName;

    public string Mode => _options.Mode == MedQaMode.LogLikelihood ? "loglikelihood" : "generate";

    public IReadOnlySet<RequestKind> RequiredKinds => new HashSet<RequestKind>
    {
        _options.Mode == MedQaMode.LogLikelihood ? RequestKind.LogLikelihood : RequestKind.Generate,
    };

    public IReadOnlyList<string> InputFiles { get; }

    /// <summary>The exemplars drawn for this run (empty for zero-shot); set by <see cref="LoadAsync"/>.</summary>
    public IReadOnlyList<MedQaQuestion> Exemplars => _prompts?.Exemplars ?? [];

    public Task<IReadOnlyList<EvalItem>> LoadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var questions = MedQaLoader.Load(_dataPath);
        IReadOnlyList<MedQaQuestion> exemplars = [];
        if (_options.Shots > 0)
        {
            var pool = MedQaLoader.Load(_options.ExemplarsPath!);
            ExemplarSampler.EnsureDisjoint(pool, questions);
            exemplars = ExemplarSampler.Draw(pool, _options.Shots, _seed);
        }

        _prompts = new MedQaPromptBuilder(exemplars, _options.SystemPrompt);
        if (_options.SexSwapProbe is { } exclusions)
        {
            // Every rewrite is decided here, once, so the plan (and its order) is fixed before any request is made.
            _probe = new SexSwapProbe(exclusions);
            foreach (var question in questions)
            {
                _probe.Rewrite(question);
            }
        }

        IReadOnlyList<EvalItem> items = questions.Select(ToItem).ToList();
        return Task.FromResult(items);
    }

    public IReadOnlyList<ModelRequest> CreateRequests(EvalItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var prompts = _prompts ?? throw new InvalidOperationException("LoadAsync must run before CreateRequests: the exemplars are part of the prompt");
        var question = MedQaScorer.Question(item);

        var original = Request(prompts, question, item.Id, "0");
        if (_probe?.RewriteOf(item.Id) is not { Swapped: { } swapped })
        {
            return [original];
        }

        // The probe's request follows its item's, so the request order stays the item order; its own id lets a
        // predictions file answer it and keeps it apart in the response store.
        return [original, Request(prompts, question with { Question = swapped }, SexSwapProbe.SwappedId(item.Id), SexSwapProbe.RequestId)];
    }

    private ModelRequest Request(MedQaPromptBuilder prompts, MedQaQuestion question, string itemId, string requestId) =>
        _options.Mode == MedQaMode.LogLikelihood
            ? new LogLikelihoodRequest
            {
                Suite = SuiteName,
                ItemId = itemId,
                RequestId = requestId,
                Context = prompts.LogLikelihoodContext(question),
                Continuations = MedQaPromptBuilder.Continuations(question),
                Choices = question.Options,
            }
            : new GenerateRequest
            {
                Suite = SuiteName,
                ItemId = itemId,
                RequestId = requestId,
                Messages = prompts.ChatMessages(question),
                Decoding = DecodingParameters.Greedy with { MaxTokens = _options.MaxTokens },
                Choices = question.Options,
            };

    public ItemResult Score(EvalItem item, IReadOnlyList<ModelRequest> requests, IReadOnlyList<ModelResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(responses);
        if (_probe is null || requests.Count < 2)
        {
            return MedQaScorer.Score(SuiteName, item, requests, responses);
        }

        // The item's own result comes from its original request alone: an error on the swapped request must not
        // make the item errored, and the swapped answer must never reach accuracy.
        var original = MedQaScorer.Score(SuiteName, item, [requests[0]], responses.Count > 0 ? [responses[0]] : []);
        var question = MedQaScorer.Question(item);
        var swappedQuestion = question with { Question = _probe.RewriteOf(item.Id)!.Swapped! };
        var swappedItem = item with { Input = MedQaPromptBuilder.FormatQuestion(swappedQuestion), Payload = swappedQuestion };
        _probe.RecordSwapped(item.Id, MedQaScorer.Score(SuiteName, swappedItem, [requests[1]], responses.Count > 1 ? [responses[1]] : []));
        return original;
    }

    public SuiteResult Aggregate(IReadOnlyList<ItemResult> results)
    {
        var result = MedQaAggregator.Aggregate(SuiteName, Mode, results, ModeNotes());
        return _probe is null ? result : _probe.AddTo(result, results);
    }

    /// <summary>For the slicing stage: the run's items read once, then any group counted from arrays.</summary>
    public IPreparedAggregation Prepare(IReadOnlyList<ItemResult> results) => new PreparedRun(this, results, MedQaAggregator.Prepare(results));

    private static EvalItem ToItem(MedQaQuestion question)
    {
        var strata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (question.MetaInfo is { } meta)
        {
            strata[MedQaAggregator.MetaInfo] = meta;
        }

        // Issue 9: the patient's sex, age and age band read from the vignette ("unknown" rather than a guess).
        Demographics.AgeBands.AddStrata(strata, Demographics.DemographicsExtractor.Extract(question.Question));

        return new EvalItem<MedQaQuestion>
        {
            Id = question.Id,
            Strata = strata,
            Input = MedQaPromptBuilder.FormatQuestion(question),
            Gold = question.AnswerIdx,
            Source = $"{question.File}:{question.Line.ToString(CultureInfo.InvariantCulture)}",
            Payload = question,
        };
    }

    private List<string> ModeNotes()
    {
        var notes = new List<string>
        {
            _options.Mode == MedQaMode.LogLikelihood
                ? "Mode loglikelihood: the prediction is the option letter with the highest log-likelihood after \"Answer:\" (as lm-evaluation-harness scores MedQA); ties go to the first letter."
                : "Mode generate: the model was asked to end with \"The answer is (X)\"; the letter was read from its reply, and ambiguous or missing answers were not guessed.",
        };
        notes.Add(Exemplars.Count == 0
            ? "Zero-shot: no worked examples were shown."
            : $"{Exemplars.Count}-shot: exemplars {string.Join(", ", Exemplars.Select(e => e.Id))} were drawn with seed {_seed.ToString(CultureInfo.InvariantCulture)} from {Path.GetFileName(_options.ExemplarsPath)}, a file checked to share no question with the evaluated data.");
        return notes;
    }

    private sealed class PreparedRun(MedQaSuite suite, IReadOnlyList<ItemResult> results, PreparedItems prepared) : IPreparedAggregation
    {
        public SuiteResult Aggregate(IReadOnlyList<int> indices)
        {
            ArgumentNullException.ThrowIfNull(indices);
            var result = MedQaAggregator.Aggregate(SuiteName, suite.Mode, prepared, indices, suite.ModeNotes());
            return suite._probe is null ? result : suite._probe.AddTo(result, indices.Select(i => results[i]).ToList());
        }
    }
}
