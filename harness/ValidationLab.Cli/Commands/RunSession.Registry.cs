using ValidationLab.Cli.Registration;
using ValidationLab.Comparison;
using ValidationLab.Exporters;
using ValidationLab.Pipeline;
using ValidationLab.Runners;
using ValidationLab.Results;
using ValidationLab.Store;

namespace ValidationLab.Cli.Commands;

// RunSession: the run registry. Every finished run is recorded (all runners: the registry is not the cache) unless
// --no-registry; the store is opened when the pipeline binds the runner, so a bad --store stops the run before any
// model call and bad input leaves no store behind.
internal sealed partial class RunSession
{
    private IReadOnlyList<ReportHistoryPoint>? _history;

    /// <summary>Opens the store for the registry (once; the response cache shares it) unless the user wants none.</summary>
    private void OpenRegistry()
    {
        if (!choice.NoRegistry)
        {
            _store ??= StoreFactory.Open(config.Run.StorePath);
        }
    }

    /// <summary>
    /// The exporters that show the trend over earlier runs of the same model: the report, given the history, and
    /// trend.json, which keeps it for re-rendering (see <see cref="TrendFile"/>). Without a registry, the report alone
    /// and no history. <paramref name="evidence"/> is what else the report is given (e.g. a model card): the history
    /// is added to it, never instead of it.
    /// </summary>
    public IReadOnlyList<IRunExporter> WithHistory(IRunExporter report, ReportEvidence? evidence = null)
    {
        var given = evidence ?? ReportEvidence.None;
        if (choice.NoRegistry)
        {
            return [new EvidenceExporter(report, _ => given)];
        }

        return [new EvidenceExporter(report, run => given with { History = History(run) }), new TrendFile(History)];
    }

    /// <summary>
    /// Earlier runs of this run's model from the registry, read once (the report and trend.json show the same list).
    /// A registry that cannot be read costs the trend chart, never the run: a note says so.
    /// </summary>
    private IReadOnlyList<ReportHistoryPoint> History(RunResult run)
    {
        if (_history is not null || _store is null)
        {
            return _history ?? [];
        }

        try
        {
            _history = RunRegistrations.History(_store.Registry, run.Manifest, run.Suites.Keys);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            messages.WriteLine($"note: the report has no trend chart: the run registry ({_store.Description}) could not be read: {ex.Message}");
            _history = [];
        }

        return _history;
    }

    /// <summary>
    /// Records the finished run (its folder as written) in the registry. False, with one message saying where the
    /// complete results are and how to record them later, when that fails; the run folder is never touched.
    /// </summary>
    public bool Record(RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        // A run whose store went away mid-run is incomplete: --resume completes it, and records it then.
        if (_store is null || StoreFailure is not null)
        {
            return true;
        }

        try
        {
            var run = new LoadedRun(outcome.OutDirectory, outcome.Result, outcome.Items);
            if (run.Result.Manifest.Shard is { } shard)
            {
                // A shard is a member of its evaluation's one sharded run, not a run of its own (BeginShard in Bind).
                var registration = RunRegistrations.ShardFromFolder(run, failed: !outcome.Succeeded, replace: config.Run.Overwrite);
                _store.Registry.RecordShard(registration);
                var finished = _store.Registry.ReadShards(registration.RunId).Count(s => s.Finished);
                messages.WriteLine($"shard {shard.Index}/{shard.Count} recorded in sharded run {registration.RunId} ({finished} of {shard.Count} shards finished); when all are: validationlab merge --run {registration.RunId}{StoreArgument} --out DIR");
                return true;
            }

            _store.Registry.RecordResults(RunRegistrations.FromFolder(run));
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            messages.WriteLine($"error: run {outcome.Result.Manifest.RunId} was not recorded in the run registry ({_store.Description}): {ex.Message}");
            messages.WriteLine($"its results are complete in {outcome.OutDirectory}; record them later with: validationlab runs record \"{outcome.OutDirectory}\"{StoreArgument}");
            return false;
        }
    }

    /// <summary>
    /// A shard run joins its evaluation's sharded run in the registry before any model call, so `runs list` shows it
    /// running; a sharded run that holds another evaluation is refused here (exit 2, nothing asked of the model).
    /// </summary>
    private void BeginShard(IModelRunner runner, string shardRunId)
    {
        if (_store is null || config.Run.Shard is not { } shard)
        {
            return;
        }

        var runId = ShardedRun.IdFor(config.EvaluationSha256, shard.Count);
        var facts = new RunFacts
        {
            RunId = runId,
            Suites = [.. config.Suites.Select(s => s.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Model = runner.Identity.Model,
            Runner = runner.Identity.Runner,
            Seed = config.Run.Seed,
            StartedUtc = DateTimeOffset.UtcNow,
            FinishedUtc = DateTimeOffset.UtcNow,
            ConfigSha256 = config.EvaluationSha256,
            HarnessCommit = HarnessInfo.Commit,
        };
        _store.Registry.BeginShard(new ShardStart(runId, shard.Index, shard.Count, config.EvaluationSha256, shardRunId, facts));
    }

    private string StoreArgument => config.Run.StorePath is null ? "" : " --store \"<the same --store>\"";
}
