namespace ValidationLab.Store;

/// <summary>
/// A run's manifest facts as the registry keeps them (one row of <c>registry_runs</c>, one row per suite of
/// <c>registry_run_suites</c>): what <c>runs list</c> filters and shows.
/// </summary>
public sealed record RunFacts
{
    public required string RunId { get; init; }

    /// <summary>The suites the run evaluated, in run order.</summary>
    public required IReadOnlyList<string> Suites { get; init; }

    public required string Model { get; init; }

    /// <summary>The runner family ("openai", "llama", "baseline", "replay").</summary>
    public required string Runner { get; init; }

    public required int Seed { get; init; }

    public required DateTimeOffset StartedUtc { get; init; }

    public required DateTimeOffset FinishedUtc { get; init; }

    /// <summary>SHA-256 of the run folder's config.yaml (as in the manifest).</summary>
    public required string ConfigSha256 { get; init; }

    /// <summary>The commit the harness was built from; null when built outside a git checkout.</summary>
    public string? HarnessCommit { get; init; }

    /// <summary>True once a gate found the run promotable (see <see cref="IRunRegistry.SetPromoted"/>).</summary>
    public bool Promoted { get; init; }
}
