using ValidationLab.Results.Probes;

namespace ValidationLab.Results;

/// <summary>
/// A suite's metrics, addressable as <c>suites.&lt;suite&gt;.metrics.&lt;metric&gt;</c> and
/// <c>suites.&lt;suite&gt;.breakdowns.&lt;field&gt;.&lt;value&gt;.&lt;metric&gt;</c> in results.json.
/// Dictionaries are ordinal-sorted so that the file is byte-for-byte reproducible.
/// </summary>
public sealed record SuiteResult
{
    public required string Suite { get; init; }

    public required string Mode { get; init; }

    public required SuiteCounts Counts { get; init; }

    public required IReadOnlyDictionary<string, MetricValue> Metrics { get; init; }

    /// <summary>field -> value -> metric.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>> Breakdowns { get; init; }
        = new SortedDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>>(StringComparer.Ordinal);

    /// <summary>name -> category -> count, e.g. predicted_letter and gold_letter for position bias.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Distributions { get; init; }
        = new SortedDictionary<string, IReadOnlyDictionary<string, int>>(StringComparer.Ordinal);

    /// <summary>name -> curve (ROC, reliability, time-to-detection) for the report; empty for exam suites.</summary>
    public IReadOnlyDictionary<string, Curve> Curves { get; init; } = new SortedDictionary<string, Curve>(StringComparer.Ordinal);

    /// <summary>probe name -> counterfactual probe (e.g. "sex_swap"); empty unless the suite ran one.</summary>
    public IReadOnlyDictionary<string, ProbeResult> Probes { get; init; } = new SortedDictionary<string, ProbeResult>(StringComparer.Ordinal);

    /// <summary>Plain-words notes a reviewer should read with the numbers.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
