namespace ValidationLab.Store;

/// <summary>Everything <see cref="IRunRegistry.RecordResults"/> keeps of a finished run.</summary>
public sealed record RunRegistration
{
    public required RunFacts Run { get; init; }

    public IReadOnlyList<MetricRow> Metrics { get; init; } = [];

    /// <summary>
    /// The item rows in order. Enumerated once, row by row, while they are inserted (a SQLite prepared statement, a
    /// PostgreSQL binary COPY), and never indexed: a run's rows can be read from its items.jsonl as they go in, so
    /// recording a run of any size holds one row at a time (<see cref="IReadOnlyCollection{T}.Count"/> must be known
    /// beforehand, for the run's item count).
    /// </summary>
    public IReadOnlyCollection<ItemRow> Items { get; init; } = [];

    /// <summary>The run folder's files (see <see cref="RunFile.ReadFolder"/>).</summary>
    public IReadOnlyList<RunFile> Files { get; init; } = [];
}
