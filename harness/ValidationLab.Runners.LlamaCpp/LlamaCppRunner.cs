using System.Diagnostics;
using ValidationLab.Errors;
using ValidationLab.Requests;

namespace ValidationLab.Runners.LlamaCpp;

/// <summary>
/// Answers requests with a GGUF model held in process by llama.cpp. The model and its context are loaded once, on
/// first need — when <see cref="PrepareAsync"/> receives requests the response cache could not answer, or on the
/// first request otherwise — so a fully cached run never loads it; they are freed by <see cref="DisposeAsync"/>.
/// Generate and risk requests are decoded (chat template, greedy or seeded sampling, stop strings, token limit);
/// log-likelihood requests score every option from one evaluation of the shared context. Requests from concurrent
/// callers are decoded together by <see cref="LlamaEngine"/>. Never throws for a failed request.
/// </summary>
public sealed partial class LlamaCppRunner : IModelRunner, IRunnerStatistics
{
    /// <summary>Method names recorded in <see cref="ModelResponse.Method"/>.</summary>
    public const string ChatTemplateMethod = "chat-template";

    /// <inheritdoc cref="ChatTemplateMethod"/>
    public const string PlainPromptMethod = "plain-prompt";

    /// <inheritdoc cref="ChatTemplateMethod"/>
    public const string SharedPrefixMethod = "shared-prefix";

    /// <inheritdoc cref="ChatTemplateMethod"/>
    public const string SeparateMethod = "separate";

    private static readonly IReadOnlySet<RequestKind> Kinds = new HashSet<RequestKind> { RequestKind.Generate, RequestKind.LogLikelihood, RequestKind.Risk };

    private readonly string _origin;
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private LlamaEngine? _engine;
    private InputException? _loadFailure;
    private bool _disposed;
    private long _requests;
    private long _failed;
    private long _promptTokens;
    private long _completionTokens;

    public LlamaCppRunner(LlamaCppRunnerOptions options, string origin = "command line")
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _origin = origin;
        Identity = new RunnerIdentity
        {
            Runner = "llamacpp",
            Model = Path.GetFileName(options.ModelPath),
            Source = options.ModelPath,
            Fingerprint = options.Fingerprint(),
        };
    }

    /// <summary>The settings this runner was built with.</summary>
    public LlamaCppRunnerOptions Options { get; }

    /// <inheritdoc />
    public RunnerIdentity Identity { get; }

    /// <inheritdoc />
    public IReadOnlySet<RequestKind> SupportedKinds => Kinds;

    /// <summary>Twice the parallel sequences, so that a request is already queued whenever a sequence frees up.</summary>
    public int MaxConcurrency => Options.Parallel * 2;

    /// <summary>True once the model is resident.</summary>
    public bool IsLoaded => Volatile.Read(ref _engine) is not null;

    /// <summary>llama_decode calls made by this runner (0 while the model is not loaded).</summary>
    internal long DecodeCalls => _engine?.DecodeCalls ?? 0;

    /// <summary>Tokens evaluated by this runner.</summary>
    internal long DecodedTokens => _engine?.DecodedTokens ?? 0;

    /// <summary>
    /// With requests to answer, loads the model (a clear <see cref="InputException"/> if llama.cpp refuses it),
    /// renders and tokenizes every prompt and refuses the plan when one cannot fit the context — before any item runs.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<ModelRequest> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Count == 0)
        {
            return [];
        }

        var engine = await EngineAsync(cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        var truncated = 0;
        foreach (var request in plan)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var where = $"suite '{request.Suite}', item '{request.ItemId}'";
            switch (Render(engine.Model, request))
            {
                case RenderedPrompt { Error: { } error }:
                    throw new InputException($"{where}: {error}", _origin, field: "model");
                case RenderedPrompt { Generate: { } g }:
                    if (g.Prompt.Length >= engine.Model.ContextSize)
                    {
                        throw new InputException($"{where}: the prompt is {g.Prompt.Length} tokens, which leaves no room to answer in a context of {engine.Model.ContextSize}; raise context_size (the model was trained on {engine.Model.TrainContext} tokens)", _origin, field: "context_size");
                    }

                    if (g.Prompt.Length + g.MaxTokens > engine.Model.ContextSize)
                    {
                        truncated++;
                    }

                    break;
                case RenderedPrompt { Scoring: { } s }:
                    var need = Options.LogLikelihoodMethod == LogLikelihoodMethod.SharedPrefix
                        ? s.Context.Length + s.Continuations.Sum(c => Math.Max(0, c.Length - 1))
                        : s.Continuations.Sum(c => s.Context.Length + c.Length - 1);
                    if (need > engine.Model.ContextSize)
                    {
                        throw new InputException($"{where}: scoring needs {need} tokens of context (the prompt is {s.Context.Length}), more than context_size {engine.Model.ContextSize}; raise context_size", _origin, field: "context_size");
                    }

                    break;
            }
        }

        if (truncated > 0)
        {
            warnings.Add($"{truncated} request(s) may stop before max_tokens: prompt + max_tokens exceeds context_size {engine.Model.ContextSize}");
        }

        return warnings;
    }

    /// <inheritdoc />
    public async Task<ModelResponse> ExecuteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        LlamaEngine engine;
        try
        {
            engine = await EngineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InputException e)
        {
            Interlocked.Increment(ref _failed);
            return ModelResponse.Failed(request, "model_load", e.Message);
        }

        var rendered = Render(engine.Model, request);
        if (rendered.Error is { } error)
        {
            Interlocked.Increment(ref _failed);
            return ModelResponse.Failed(request, "prompt", error);
        }

        Interlocked.Increment(ref _requests);
        var clock = Stopwatch.StartNew();
        try
        {
            if (rendered.Generate is { } g)
            {
                var job = new GenerateJob(g.Prompt, g.MaxTokens, g.Stop, g.Temperature, g.TopP, g.Seed, engine.Model.ContextSize, cancellationToken);
                engine.Submit(job);
                var result = await job.Task.ConfigureAwait(false);
                Account(result.PromptTokens, result.Tokens.Length);
                return Answered(ModelResponse.For(request) with
                {
                    Text = result.Text,
                    LatencyMs = clock.Elapsed.TotalMilliseconds,
                    Usage = new TokenUsage(result.PromptTokens, result.Tokens.Length),
                    Method = engine.Model.UsesChatTemplate ? ChatTemplateMethod : PlainPromptMethod,
                });
            }

            var s = rendered.Scoring!;
            var scoring = new ScoringJob(s.Context, s.Continuations, Options.LogLikelihoodMethod == LogLikelihoodMethod.SharedPrefix, cancellationToken);
            engine.Submit(scoring);
            var scored = await scoring.Task.ConfigureAwait(false);
            Account(scored.PromptTokens, 0);
            return Answered(ModelResponse.For(request) with
            {
                LogLikelihoods = scored.LogLikelihoods,
                LatencyMs = clock.Elapsed.TotalMilliseconds,
                Usage = new TokenUsage(scored.PromptTokens, 0),
                Method = Options.LogLikelihoodMethod == LogLikelihoodMethod.SharedPrefix ? SharedPrefixMethod : SeparateMethod,
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _failed);
            return ModelResponse.Failed(request, "inference", e.Message);
        }
    }

    /// <inheritdoc />
    public RunnerCounters GetCounters() => new()
    {
        RequestsSent = Interlocked.Read(ref _requests),
        FailedRequests = Interlocked.Read(ref _failed),
        PromptTokens = Interlocked.Read(ref _promptTokens),
        CompletionTokens = Interlocked.Read(ref _completionTokens),
    };

    /// <summary>Stops the engine thread and frees the context and the model.</summary>
    public async ValueTask DisposeAsync()
    {
        await _loadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            _engine?.Dispose();
            _engine = null;
        }
        finally
        {
            _loadGate.Release();
        }
    }

    /// <summary>
    /// Raised after each answer the engine produced (not for errors). Lets an in-process end-to-end test interrupt a
    /// run at an exact point (after the n-th answer) instead of racing a timer.
    /// </summary>
    internal static event Action<LlamaCppRunner, ModelResponse>? AnsweredForTests;

    private ModelResponse Answered(ModelResponse response)
    {
        AnsweredForTests?.Invoke(this, response);
        return response;
    }

    private void Account(int prompt, int completion)
    {
        Interlocked.Add(ref _promptTokens, prompt);
        Interlocked.Add(ref _completionTokens, completion);
    }

    private async ValueTask<LlamaEngine> EngineAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _engine) is { } ready)
        {
            return ready;
        }

        await _loadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_loadFailure is not null)
            {
                throw _loadFailure;
            }

            if (_engine is null)
            {
                try
                {
                    var model = await Task.Run(() => LlamaModel.Load(Options, _origin), cancellationToken).ConfigureAwait(false);
                    Volatile.Write(ref _engine, new LlamaEngine(model, Options.Parallel));
                }
                catch (InputException e)
                {
                    _loadFailure = e;
                    throw;
                }
            }

            return _engine;
        }
        finally
        {
            _loadGate.Release();
        }
    }
}
