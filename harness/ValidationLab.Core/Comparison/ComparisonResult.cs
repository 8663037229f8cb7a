using ValidationLab.Results;

namespace ValidationLab.Comparison;

/// <summary>comparison.json: a candidate run against a baseline run, paired item by item (docs/comparison-schema.md).</summary>
public sealed record ComparisonResult
{
    public string SchemaVersion { get; init; } = "1.1";

    public required RunReference Baseline { get; init; }

    public required RunReference Candidate { get; init; }

    /// <summary>Non-inferiority margin the candidate was tested against (accuracy points, e.g. 0.02).</summary>
    public required double Margin { get; init; }

    public required int Seed { get; init; }

    public required IReadOnlyDictionary<string, SuiteComparison> Suites { get; init; }

    /// <summary>Suites present in only one of the runs: not compared.</summary>
    public IReadOnlyList<string> Unpaired { get; init; } = [];

    /// <summary>
    /// Every way the two runs' data differ (suites, data files, limits, items), in the order checked; empty when
    /// they ran the same questions. Non-empty only when the user allowed it (<c>--allow-different-data</c>,
    /// <c>--allow-different-limit</c>); otherwise compare refuses at the first difference.
    /// </summary>
    public IReadOnlyList<string> DataDifferences { get; init; } = [];

    /// <summary>True when the baseline and the candidate are the same run, or gave identical responses to every item.</summary>
    public bool SameRun { get; init; }

    /// <summary>What the reader must know before trusting the numbers (a run compared with itself, data that differ).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Which run: its id, folder and model, and its item limit (null for a full run).</summary>
public sealed record RunReference(string RunId, string Directory, string Runner, string Model)
{
    public RunLimit? Limit { get; init; }
}

/// <summary>
/// <c>manifest.limit</c>: the run covered <see cref="Count"/> items, the first ones or (<see cref="Sampled"/>) a
/// seeded sample.
/// </summary>
public sealed record RunLimit(int Count, bool Sampled, long? Seed)
{
    /// <summary>Plain words: "the first 50 items", "a sample of 50 items (seed 3)".</summary>
    public string Describe() => Sampled
        ? $"a sample of {Count} items{(Seed is { } s ? $" (seed {s})" : "")}"
        : $"the first {Count} items";

    /// <summary>Two limits select the same items: same count and, for samples, the same seed.</summary>
    public bool SelectsSameItemsAs(RunLimit other) =>
        other is not null && Count == other.Count && Sampled == other.Sampled && (!Sampled || Seed == other.Seed);
}

/// <summary>One suite compared: how items paired, the metric comparisons and the items that flipped.</summary>
public sealed record SuiteComparison
{
    public required string Suite { get; init; }

    /// <summary>"accuracy" (items scored right or wrong) or "risk" (items carrying a score and an outcome label).</summary>
    public string Kind { get; init; } = "accuracy";

    /// <summary>Items with an answer in both runs: what the tests rest on.</summary>
    public required int PairedItems { get; init; }

    /// <summary>Items errored in either run: excluded from the paired comparison.</summary>
    public required int ExcludedErrored { get; init; }

    public required int OnlyInBaseline { get; init; }

    public required int OnlyInCandidate { get; init; }

    /// <summary>
    /// Items present in both runs under the same id that are not the same question (prompt hash, gold answer,
    /// outcome label or cluster differ): never paired. Non-zero only with <c>--allow-different-data</c>.
    /// </summary>
    public int Mismatched { get; init; }

    /// <summary>metric -> comparison: accuracy for exam suites; empty for risk suites (see <see cref="Risk"/>).</summary>
    public required IReadOnlyDictionary<string, MetricComparison> Metrics { get; init; }

    /// <summary>field -> value -> metric -> comparison.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricComparison>>> Breakdowns { get; init; }

    /// <summary>
    /// Candidate no worse than baseline by more than the margin (one-sided): on accuracy (Tango score test) for exam
    /// suites, on AUROC (paired DeLong) for risk suites.
    /// </summary>
    public required MarginTest NonInferiority { get; init; }

    /// <summary>What this many paired items can detect, so a report can say a suite is too small; null without discordant pairs.</summary>
    public required PowerNote? Power { get; init; }

    /// <summary>Correct in the baseline, incorrect in the candidate: what clinical reviewers read first.</summary>
    public required IReadOnlyList<FlippedItem> Regressions { get; init; }

    /// <summary>Incorrect in the baseline, correct in the candidate.</summary>
    public required IReadOnlyList<FlippedItem> Improvements { get; init; }

    /// <summary>Discrimination and calibration compared, for risk suites; null for exam suites.</summary>
    public RiskComparison? Risk { get; init; }
}

/// <summary>
/// Two risk models on the same decision points: AUROC of each with DeLong intervals, the paired DeLong difference
/// and test, and a paired cluster bootstrap (patients resampled whole) for the AUROC and Brier differences.
/// </summary>
public sealed record RiskComparison
{
    /// <summary>Paired decision points with the outcome (label true).</summary>
    public required int Positives { get; init; }

    public required int Negatives { get; init; }

    /// <summary>Independent units (patients) the bootstrap resamples; an item without a cluster id is its own cluster.</summary>
    public required int Clusters { get; init; }

    public required ScoreComparison Auroc { get; init; }

    public required ScoreComparison Brier { get; init; }
}

/// <summary>A risk metric in both runs and the paired difference (candidate minus baseline).</summary>
public sealed record ScoreComparison
{
    public required MetricValue Baseline { get; init; }

    public required MetricValue Candidate { get; init; }

    /// <summary>Candidate minus baseline: DeLong paired interval for AUROC, paired cluster bootstrap for Brier.</summary>
    public required MetricValue Difference { get; init; }

    /// <summary>The same difference with a paired cluster bootstrap percentile interval.</summary>
    public required MetricValue BootstrapDifference { get; init; }

    /// <summary>The paired test of the difference (DeLong z and two-sided p for AUROC); null when there is none.</summary>
    public StatisticalTest? Test { get; init; }
}

/// <summary>A metric in both runs, the paired difference (candidate minus baseline) and the paired test.</summary>
public sealed record MetricComparison
{
    public required MetricValue Baseline { get; init; }

    public required MetricValue Candidate { get; init; }

    /// <summary>Candidate minus baseline with a paired interval (Newcombe method 10).</summary>
    public required MetricValue Difference { get; init; }

    /// <summary>The same difference with a paired bootstrap percentile interval.</summary>
    public required MetricValue BootstrapDifference { get; init; }

    /// <summary>Baseline correct, candidate incorrect.</summary>
    public required int Regressions { get; init; }

    /// <summary>Baseline incorrect, candidate correct.</summary>
    public required int Improvements { get; init; }

    public required StatisticalTest Test { get; init; }

    public required StatisticalTest MidP { get; init; }
}

/// <summary>A test's statistic and two-sided p-value, named.</summary>
public sealed record StatisticalTest(string Method, double Statistic, double PValue);

/// <summary>A one-sided margin test and its verdict in plain words.</summary>
public sealed record MarginTest(string Hypothesis, double Margin, double Difference, double Bound, double PValue, double Alpha, bool Passed, string Method, string Verdict);

/// <summary>An item whose correctness differs between the runs.</summary>
public sealed record FlippedItem(string ItemId, string? Gold, string? BaselinePrediction, string? CandidatePrediction, string? Input, IReadOnlyDictionary<string, string> Strata);

/// <summary>
/// The smallest accuracy difference this comparison detects with the given power at two-sided alpha, assuming the
/// observed share of discordant pairs (Connor 1987), and whether a drop of the margin's size is within reach.
/// </summary>
public sealed record PowerNote(double MinimumDetectableDifference, double DiscordantProportion, double Alpha, double Power, bool MarginDetectable, string Method, string Statement);
