using ValidationLab.Cli.Registration;
using ValidationLab.Comparison;
using ValidationLab.Exporters;
using ValidationLab.Pipeline;
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
            _store.Registry.RecordResults(RunRegistrations.FromFolder(new LoadedRun(outcome.OutDirectory, outcome.Result, outcome.Items)));
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            messages.WriteLine($"error: run {outcome.Result.Manifest.RunId} was not recorded in the run registry ({_store.Description}): {ex.Message}");
            messages.WriteLine($"its results are complete in {outcome.OutDirectory}; record them later with: validationlab runs record \"{outcome.OutDirectory}\"{StoreArgument}");
            return false;
        }
    }

    private string StoreArgument => config.Run.StorePath is null ? "" : " --store \"<the same --store>\"";
}
