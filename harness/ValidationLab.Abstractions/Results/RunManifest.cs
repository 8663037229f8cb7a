using ValidationLab.Runners;

namespace ValidationLab.Results;

/// <summary>What ran, on what, when: enough to reproduce or audit a run.</summary>
public sealed record RunManifest
{
    public required string RunId { get; init; }

    public required DateTimeOffset StartedUtc { get; init; }

    public required DateTimeOffset FinishedUtc { get; init; }

    public required string HarnessVersion { get; init; }

    /// <summary>The harness's git commit when it can be found, else null.</summary>
    public string? GitCommit { get; init; }

    /// <summary>SHA-256 of the effective configuration (config file bytes, or the canonical form of the flags).</summary>
    public required string ConfigSha256 { get; init; }

    /// <summary>Full path -> SHA-256 of every data file read (suites and predictions).</summary>
    public required IReadOnlyDictionary<string, string> DataFiles { get; init; }

    public required RunnerIdentity Runner { get; init; }

    public required int Seed { get; init; }

    /// <summary>True when the run continued an interrupted one.</summary>
    public bool Resumed { get; init; }
}
