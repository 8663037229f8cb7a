namespace ValidationLab.Store;

/// <summary>Everything the registry holds about one run (file bytes are read with <see cref="IRunRegistry.ReadRunFiles"/>).</summary>
public sealed record RunDetail
{
    public required RunFacts Facts { get; init; }

    /// <summary>In registration order.</summary>
    public required IReadOnlyList<MetricRow> Metrics { get; init; }

    /// <summary>In registration order (the order of items.jsonl).</summary>
    public required IReadOnlyList<ItemRow> Items { get; init; }

    /// <summary>In ordinal name order.</summary>
    public required IReadOnlyList<RunFileInfo> Files { get; init; }

    /// <summary>Comparisons in which this run is the candidate or the baseline, oldest first.</summary>
    public required IReadOnlyList<ComparisonRecord> Comparisons { get; init; }

    /// <summary>Gate verdicts on this run, oldest first.</summary>
    public required IReadOnlyList<GateVerdictRecord> GateVerdicts { get; init; }

    /// <summary>The shards of a sharded run, by index (empty for a run that was not sharded).</summary>
    public IReadOnlyList<ShardStatus> Shards { get; init; } = [];
}
