namespace ValidationLab.Store;

// RunStore: the run registry (schema 3). Interface shape only in this commit; the tables come with the SQLite split.
public sealed partial class RunStore
{
    public void RecordResults(RunRegistration registration) => throw NotYet();

    public IReadOnlyList<RunSummary> ListRuns(RunQuery query) => throw NotYet();

    public RunDetail? GetRunDetail(string runId) => throw NotYet();

    public IReadOnlyList<RunFile> ReadRunFiles(string runId) => throw NotYet();

    public void RecordComparison(ComparisonRecord comparison) => throw NotYet();

    public void RecordGateVerdict(GateVerdictRecord verdict) => throw NotYet();

    public void SetPromoted(string runId, bool promoted) => throw NotYet();

    private static NotImplementedException NotYet() => new("the run registry tables arrive with schema 3 (issue 12, step 2)");
}
