using ValidationLab.Configuration;
using ValidationLab.Pipeline;
using ValidationLab.Runners;
using ValidationLab.Store;

namespace ValidationLab.Cli.Commands;

/// <summary>What the user chose about the run store: whether to resume, whether to cache at all.
/// The store's path is part of the run context (<see cref="ValidationLab.Configuration.RunContext.StorePath"/>).</summary>
internal sealed record StoreChoice(bool Resume, bool NoCache)
{
    /// <summary>--no-registry: the run is not recorded in the run registry (RunSession.Registry.cs).</summary>
    public bool NoRegistry { get; init; }
}

/// <summary>
/// Ties one run to the run store: when the pipeline has validated everything it opens the store, begins (or
/// resumes) the run record and wraps the runner in the response cache; at the end it marks the run finished.
/// Bad input therefore leaves no store behind. Runners whose answers are free to recompute (baseline, replay)
/// get no response cache: rerunning them is the resume. Every run is recorded in the run registry of the same
/// store (RunSession.Registry.cs).
/// </summary>
internal sealed partial class RunSession(EvalConfig config, StoreChoice choice, TextWriter messages) : IDisposable
{
    private IRunStore? _store;
    private CachingModelRunner? _cache;
    private ResponseSpool? _spool;
    private string? _runId;

    /// <summary>The pipeline options with this session's binding.</summary>
    public PipelineOptions Apply(PipelineOptions options) => options with { Bind = Bind };

    /// <summary>The run completed and its results are written: it will not be resumed again (unless the store was lost).</summary>
    public void Finish()
    {
        if (_store is not null && _runId is not null && StoreFailure is null)
        {
            _store.Registry.FinishRun(_runId);
        }
    }

    /// <summary>
    /// Why the run must be resumed, when the store became unavailable during it: the requests from then on were not
    /// sent (they errored as store_unavailable), and the run is left unfinished so that --resume completes it.
    /// </summary>
    public string? StoreFailure => _cache?.StoreFailure is { } lost
        ? $"{lost.Message}; answers stored before that are kept{Spooled}, and the requests after it were not sent. The run is left unfinished: when the store is back, run the same command with --resume (and --overwrite for the same --out) to complete it without asking any answer again"
        : null;

    private string Spooled => _spool is { Count: > 0 } spool
        ? $", the {spool.Count} answer{(spool.Count == 1 ? "" : "s")} that arrived after it are kept in {spool.Folder} and written to the store when it is opened again"
        : "";

    public void Dispose()
    {
        _store?.Dispose();
        _spool?.Dispose();
    }

    /// <summary>
    /// Writes into the store the answers an earlier run to the same output folder spooled while the store was
    /// unavailable (before anything is asked, so none is asked again), and gives this run its own spool there.
    /// </summary>
    private ResponseSpool Spool(IRunStore store, string runId)
    {
        var folder = ResponseSpool.FolderFor(config.OutDirectory ?? Path.Combine("runs", runId));
        try
        {
            ResponseSpool.Drain(folder, store, messages.WriteLine);
        }
        catch (StoreUnavailableException e)
        {
            throw new Errors.InputException($"{e.Message}; the answers spooled in {folder} stay there for the next run", field: "--store", inner: e);
        }

        return new ResponseSpool(folder, store.Description);
    }

    private RunBinding Bind(IModelRunner runner, IRunnerFactory factory)
    {
        OpenRegistry();
        if (!factory.CachesResponses || choice.NoCache)
        {
            if (choice.Resume)
            {
                messages.WriteLine(choice.NoCache
                    ? "note: --resume with --no-cache cannot reuse stored answers; every request is sent again"
                    : $"note: runner '{factory.Name}' answers are recomputed, not stored; --resume runs it again in full");
            }

            var fresh = EvaluationPipeline.NewRunId(DateTimeOffset.UtcNow);
            BeginShard(runner, fresh);
            return new RunBinding(runner, fresh, false);
        }

        _store ??= StoreFactory.Open(config.Run.StorePath);
        var resumable = _store.Registry.FindUnfinishedRun(config.ConfigSha256);
        if (choice.Resume && resumable is null)
        {
            messages.WriteLine("note: no unfinished run of this config to resume; starting a new run");
        }

        _runId = _store.Registry.BeginRun(config.ConfigSha256, choice.Resume);
        BeginShard(runner, _runId);
        _spool = Spool(_store, _runId);
        _cache = new CachingModelRunner(runner, _store.Responses, _runId, _spool);
        return new RunBinding(_cache, _runId, choice.Resume && resumable is not null);
    }
}
