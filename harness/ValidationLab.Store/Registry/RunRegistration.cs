namespace ValidationLab.Store;

/// <summary>Everything <see cref="IRunRegistry.RecordResults"/> keeps of a finished run.</summary>
public sealed record RunRegistration
{
    public required RunFacts Run { get; init; }

    public IReadOnlyList<MetricRow> Metrics { get; init; } = [];

    public IReadOnlyList<ItemRow> Items { get; init; } = [];

    /// <summary>The run folder's files (see <see cref="RunFile.ReadFolder"/>).</summary>
    public IReadOnlyList<RunFile> Files { get; init; } = [];
}
