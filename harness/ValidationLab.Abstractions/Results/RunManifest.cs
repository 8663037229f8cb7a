using ValidationLab.Runners;
using ValidationLab.Configuration;

namespace ValidationLab.Results;

/// <summary>What ran, on what, when: enough to reproduce or audit a run.</summary>
public sealed record RunManifest
{
    public required string RunId { get; init; }

    public required DateTimeOffset StartedUtc { get; init; }

    public required DateTimeOffset FinishedUtc { get; init; }

    public required string HarnessVersion { get; init; }

    /// <summary>
    /// The git commit the harness was built from (as in <c>--version</c>), never the repository of the working
    /// folder; null when it was built outside a git checkout.
    /// </summary>
    public string? HarnessCommit { get; init; }

    /// <summary>True when the harness was built from a checkout with uncommitted changes (the commit alone does not describe it).</summary>
    public bool HarnessTreeModified { get; init; }

    /// <summary>
    /// SHA-256 of the run folder's <c>config.yaml</c>: the effective configuration after every flag override
    /// (see docs/results-schema.md for what it holds).
    /// </summary>
    public required string ConfigSha256 { get; init; }

    /// <summary>Path as the user gave it (or the repository-relative fixture path) -> SHA-256 of every data file read.</summary>
    public required IReadOnlyDictionary<string, string> DataFiles { get; init; }

    public required RunnerIdentity Runner { get; init; }

    public required int Seed { get; init; }

    /// <summary>Only part of the items was evaluated (<c>--limit</c>); null means every item.</summary>
    public ManifestLimit? Limit { get; init; }

    /// <summary>True when the run continued an interrupted one.</summary>
    public bool Resumed { get; init; }

    /// <summary>This run is one shard of a larger evaluation (<c>--shard</c>); null for a whole (or merged) run.</summary>
    public ManifestShard? Shard { get; init; }

    /// <summary>
    /// The run ids of the shard runs this run was merged from (<c>validationlab merge</c>), in shard order; null when
    /// the run evaluated its items itself.
    /// </summary>
    public IReadOnlyList<string>? MergedFrom { get; init; }
}

/// <summary>How a limited run chose its items: <c>{"count": N, "sampled": bool, "seed": S}</c>.</summary>
public sealed record ManifestLimit(int Count, bool Sampled, int Seed)
{
    /// <summary>The manifest form of a run's limit, or null when the run evaluated every item.</summary>
    public static ManifestLimit? From(RunContext run) =>
        run?.Limit is { } limit ? new ManifestLimit(limit.Count, limit.Sampled, run.Seed) : null;
}
