using ValidationLab.Configuration;
using ValidationLab.Pipeline;
using ValidationLab.Runners;
using ValidationLab.Store;

namespace ValidationLab.Cli.Commands;

/// <summary>What the user chose about the run store: where it is, whether to resume, whether to cache at all.</summary>
internal sealed record StoreChoice(string? Path, bool Resume, bool NoCache);

/// <summary>
/// Ties one run to the run store: opens it, begins (or resumes) the run record, wraps the runner in the response
/// cache, and marks the run finished at the end. Runners whose answers are free to recompute (baseline, replay)
/// get no store: rerunning them is the resume.
/// </summary>
internal sealed class RunSession : IDisposable
{
    private readonly RunStore? _store;
    private readonly string? _runId;
    private readonly bool _resumed;

    private RunSession(RunStore? store, string? runId, bool resumed)
    {
        _store = store;
        _runId = runId;
        _resumed = resumed;
    }

    public static RunSession Open(IRunnerFactory factory, EvalConfig config, StoreChoice choice, TextWriter messages)
    {
        if (!factory.CachesResponses || choice.NoCache)
        {
            if (choice.Resume)
            {
                messages.WriteLine(choice.NoCache
                    ? "note: --resume with --no-cache cannot reuse stored answers; every request is sent again"
                    : $"note: runner '{factory.Name}' answers are recomputed, not stored; --resume runs it again in full");
            }

            return new RunSession(null, null, false);
        }

        var store = RunStore.Open(choice.Path ?? RunStore.DefaultPath(Directory.GetCurrentDirectory()));
        try
        {
            var resumable = store.FindUnfinishedRun(config.ConfigSha256);
            if (choice.Resume && resumable is null)
            {
                messages.WriteLine("note: no unfinished run of this config to resume; starting a new run");
            }

            var runId = store.BeginRun(config.ConfigSha256, choice.Resume);
            return new RunSession(store, runId, choice.Resume && resumable is not null);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Set the run id, the resumed flag and the cache decorator on the pipeline options.</summary>
    public PipelineOptions Apply(PipelineOptions options) => _store is null ? options : options with
    {
        RunId = _runId,
        Resumed = _resumed,
        DecorateRunner = (runner, _) => new CachingModelRunner(runner, _store, _runId),
    };

    /// <summary>The run completed and its results are written: it will not be resumed again.</summary>
    public void Finish()
    {
        if (_store is not null && _runId is not null)
        {
            _store.FinishRun(_runId);
        }
    }

    public void Dispose() => _store?.Dispose();
}
