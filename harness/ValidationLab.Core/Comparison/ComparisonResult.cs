using ValidationLab.Results;

namespace ValidationLab.Comparison;

/// <summary>comparison.json: a candidate run against a baseline run, paired item by item (docs/comparison-schema.md).</summary>
public sealed record ComparisonResult
{
    public string SchemaVersion { get; init; } = "1.0";

    public required RunReference Baseline { get; init; }

    public required RunReference Candidate { get; init; }

    /// <summary>Non-inferiority margin the candidate was tested against (accuracy points, e.g. 0.02).</summary>
    public required double Margin { get; init; }

    public required int Seed { get; init; }

    public required IReadOnlyDictionary<string, SuiteComparison> Suites { get; init; }

    /// <summary>Suites present in only one of the runs: not compared.</summary>
    public IReadOnlyList<string> Unpaired { get; init; } = [];
}

/// <summary>Which run: its id, folder and model.</summary>
public sealed record RunReference(string RunId, string Directory, string Runner, string Model);

/// <summary>One suite compared: how items paired, the metric comparisons and the items that flipped.</summary>
public sealed record SuiteComparison
{
    public required string Suite { get; init; }

    /// <summary>Items with an answer in both runs: what the tests rest on.</summary>
    public required int PairedItems { get; init; }

    /// <summary>Items errored in either run: excluded from the paired comparison.</summary>
    public required int ExcludedErrored { get; init; }

    public required int OnlyInBaseline { get; init; }

    public required int OnlyInCandidate { get; init; }

    /// <summary>metric -> comparison (accuracy today).</summary>
    public required IReadOnlyDictionary<string, MetricComparison> Metrics { get; init; }

    /// <summary>field -> value -> metric -> comparison.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricComparison>>> Breakdowns { get; init; }

    /// <summary>Candidate no worse than baseline by more than the margin (one-sided).</summary>
    public required MarginTest NonInferiority { get; init; }

    /// <summary>What this many paired items can detect, so a report can say a suite is too small; null without discordant pairs.</summary>
    public required PowerNote? Power { get; init; }

    /// <summary>Correct in the baseline, incorrect in the candidate: what clinical reviewers read first.</summary>
    public required IReadOnlyList<FlippedItem> Regressions { get; init; }

    /// <summary>Incorrect in the baseline, correct in the candidate.</summary>
    public required IReadOnlyList<FlippedItem> Improvements { get; init; }
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
