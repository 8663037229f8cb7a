namespace ValidationLab.Store;

/// <summary>
/// The run registry: run records for resume, the registered results of finished runs (facts, metrics, items and the
/// run folder's files), comparisons, gate verdicts and the append-only sign-off chains. Thread-safe; several
/// processes may share one store.
/// </summary>
public interface IRunRegistry
{
    // ---- Run lifecycle (resume) ----

    /// <summary>
    /// Starts a run of the config whose SHA-256 is <paramref name="configSha256"/> and returns its id. With
    /// <paramref name="resume"/>, the latest unfinished run of the same config is continued (same id) when there is
    /// one; otherwise a new run starts.
    /// </summary>
    string BeginRun(string configSha256, bool resume);

    /// <summary>The latest unfinished run of this config, if any (what <c>--resume</c> would continue).</summary>
    string? FindUnfinishedRun(string configSha256);

    /// <summary>Marks the run finished; a finished run is never resumed.</summary>
    void FinishRun(string runId);

    /// <summary>The run record, or null.</summary>
    RunRecord? GetRun(string runId);

    // ---- Registry ----

    /// <summary>
    /// Records a finished run's facts, metrics, items and files in one transaction. Recording the same run again
    /// replaces those (the run folder is the source); its comparisons, gate verdicts and sign-offs are kept.
    /// </summary>
    void RecordResults(RunRegistration registration);

    /// <summary>The registered runs matching <paramref name="query"/>, newest (by start time) first.</summary>
    IReadOnlyList<RunSummary> ListRuns(RunQuery query);

    /// <summary>Everything registered about the run, or null when it is not registered.</summary>
    RunDetail? GetRunDetail(string runId);

    /// <summary>The run's files with their bytes, in ordinal name order (empty when it is not registered); each checked against its SHA-256.</summary>
    IReadOnlyList<RunFile> ReadRunFiles(string runId);

    /// <summary>Records a comparison (appended; a run may be compared many times).</summary>
    void RecordComparison(ComparisonRecord comparison);

    /// <summary>Records a gate verdict (appended; the latest one is the run's current verdict).</summary>
    void RecordGateVerdict(GateVerdictRecord verdict);

    /// <summary>Marks a registered run promoted (or not); throws when the run is not registered.</summary>
    void SetPromoted(string runId, bool promoted);

    // ---- Sharded runs (schema version 4) ----

    /// <summary>
    /// A shard run begins: creates the sharded run (facts and suites) when it is the first shard to arrive, and marks
    /// the shard running when it is new or held by the same shard run (a resume); a shard recorded by another shard
    /// run keeps its record until this one records. Throws an input error, recording nothing, when the sharded run
    /// holds another evaluation. Shards of one run beginning at once (any process) never conflict.
    /// </summary>
    void BeginShard(ShardStart start);

    /// <summary>
    /// Records the shard's items and files and its end (finished or failed), replacing only this shard's earlier rows,
    /// in one transaction. Throws an input error, recording nothing, when an item is already recorded by another shard
    /// of the run (overlapping shards), or when another shard run recorded this shard with other results and
    /// <see cref="ShardRegistration.Replace"/> is not set.
    /// </summary>
    void RecordShard(ShardRegistration registration);

    /// <summary>The run's shards by index; empty when it is not a sharded run.</summary>
    IReadOnlyList<ShardStatus> ReadShards(string runId);

    /// <summary>A shard's recorded files with their bytes, in ordinal name order, each checked against its SHA-256.</summary>
    IReadOnlyList<RunFile> ReadShardFiles(string runId, int index);

    // ---- Sign-offs (append-only) ----

    /// <summary>
    /// Appends the run's next sign-off in one transaction: <paramref name="build"/> gets the run's rows so far (in
    /// order) and returns the sealed row to insert, or throws to append nothing. Two signers at once (in any process)
    /// are serialised, so the chain never forks. <paramref name="beforeCommit"/> runs after the insert and before the
    /// commit, still holding the run's sign-off lock: a copy written there (the run folder's mirror) is written in the
    /// same order as the store's; if it throws, nothing is committed.
    /// </summary>
    SignoffRow AppendSignoff(string runId, Func<IReadOnlyList<SignoffRow>, SignoffRow> build, Action<SignoffRow>? beforeCommit = null);

    /// <summary>
    /// Hands the run's sign-offs to <paramref name="read"/> while holding the sign-off lock, so that a copy kept beside
    /// the store (the mirror, written under the same lock) is read in a state consistent with the rows: a signer
    /// writing at the same moment is never mistaken for tampering.
    /// </summary>
    T ReadSignoffsConsistently<T>(string runId, Func<IReadOnlyList<SignoffRow>, T> read);

    /// <summary>The run's sign-offs in the order they were appended, as stored.</summary>
    IReadOnlyList<SignoffRow> ReadSignoffs(string runId);

    /// <summary>Every run that has a sign-off, in ordinal order.</summary>
    IReadOnlyList<string> SignedRuns();
}
