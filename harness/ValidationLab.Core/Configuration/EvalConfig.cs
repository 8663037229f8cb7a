using ValidationLab.Runners;
using ValidationLab.Suites;

namespace ValidationLab.Configuration;

/// <summary>
/// A validated, frozen run configuration: one runner, one or more suites, the seed and where results go. Built by
/// <see cref="ConfigLoader"/> from a YAML file or from command-line flags, never changed afterwards.
/// </summary>
public sealed record EvalConfig
{
    public required RunnerSettings Runner { get; init; }

    public required IReadOnlyList<SuiteSettings> Suites { get; init; }

    public int Seed { get; init; }

    /// <summary>The folder results are written to (exactly there); null means runs/&lt;run id&gt;.</summary>
    public string? OutDirectory { get; init; }

    /// <summary>Fail the run (exit code 3, results still written) when more than this share of items errored.</summary>
    public double? MaxErrorRate { get; init; }

    /// <summary>SHA-256 of the config file bytes, or of the canonical form of the flags.</summary>
    public required string ConfigSha256 { get; init; }

    /// <summary>Slices to compute after aggregation (issue 9: the config's 'slices:' section); null when none were declared.</summary>
    public Analysis.Slicing.SliceSettings? Slices { get; init; }

    /// <summary>"run.yaml", "command line" or "embedded default", for messages.</summary>
    public required string Origin { get; init; }
}
