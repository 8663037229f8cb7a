namespace ValidationLab.Exporters;

/// <summary>
/// What a run's report shows besides the run itself: the comparison with the production run, the gate verdict and
/// the sign-offs. Each part is optional (a fresh run has none). The CLI reads them from comparison.json, gate.json and
/// signoffs.jsonl (docs/governance.md, docs/results-schema.md) and hands them over as plain records, so an exporter
/// needs no reference to the governance code.
/// </summary>
public sealed record ReportEvidence
{
    /// <summary>No comparison, no verdict, no sign-off: what <c>run</c> has when it writes its report.</summary>
    public static ReportEvidence None { get; } = new();

    public ReportComparison? Comparison { get; init; }

    public ReportGate? Gate { get; init; }

    /// <summary>In chain order (oldest first).</summary>
    public IReadOnlyList<ReportSignature> Signoffs { get; init; } = [];

    /// <summary>Optional model card (intended use, population, limitations), e.g. from a run config's <c>model_card:</c>.</summary>
    public ReportModelCard? ModelCard { get; init; }

    /// <summary>
    /// Metrics of earlier runs of the same model on the same suites (from the run registry), oldest first; empty when
    /// there is no registry or no earlier run. "Earlier" means finished before this run started, so the list never
    /// changes once the run has started and a re-rendered report keeps its fingerprint.
    /// </summary>
    public IReadOnlyList<ReportHistoryPoint> History { get; init; } = [];
}

/// <summary>The gate verdict as gate.json records it.</summary>
public sealed record ReportGate
{
    /// <summary><c>promotable</c>, <c>criteria_not_met</c>, <c>signoff_incomplete</c> or <c>criteria_met</c>.</summary>
    public required string Verdict { get; init; }

    public required bool Promotable { get; init; }

    public required string PolicyName { get; init; }

    public required string PolicySha256 { get; init; }

    public required string VerdictSha256 { get; init; }

    /// <summary>ISO 8601 UTC.</summary>
    public required string EvaluatedUtc { get; init; }

    public IReadOnlyList<string> RequiredRoles { get; init; } = [];

    public IReadOnlyList<ReportCriterion> Criteria { get; init; } = [];
}

/// <summary>One criterion of a gate verdict, in the words gate.json uses.</summary>
public sealed record ReportCriterion(string Name, string Expression, string ObservedText, string Threshold, bool Passed, string Why);

/// <summary>One sign-off: who, when (UTC), in which role, the decision and its fixed meaning.</summary>
public sealed record ReportSignature
{
    public required long Seq { get; init; }

    public required string Signer { get; init; }

    public required string Role { get; init; }

    /// <summary>ISO 8601 UTC, to the second.</summary>
    public required string SignedUtc { get; init; }

    public required string Decision { get; init; }

    public required string Meaning { get; init; }

    public string Comment { get; init; } = "";

    /// <summary>The report fingerprint the signer read (docs/governance.md); null when there was no report.</summary>
    public string? ReportSha256 { get; init; }

    public required string RecordHash { get; init; }
}

/// <summary>comparison.json reduced to what the report's decision section shows: one row per compared metric.</summary>
public sealed record ReportComparison
{
    public required string BaselineRunId { get; init; }

    public IReadOnlyList<ReportMetricChange> Metrics { get; init; } = [];

    /// <summary>Items whose correctness differs between the runs, by suite and item id ("suite/item").</summary>
    public IReadOnlySet<string> FlippedItems { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}

/// <summary>A metric's change against the production run with its paired test.</summary>
public sealed record ReportMetricChange(string Suite, string Metric, double? Candidate, double? Baseline, double? Difference,
    double? CiLow, double? CiHigh, string Test, double? PValue, int? N);

/// <summary>The model card a board reads before the figures: what the model is for, on whom, and what it cannot do.</summary>
public sealed record ReportModelCard(string? IntendedUse, string? Population, string? Limitations);
