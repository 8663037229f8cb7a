using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Suites;

namespace ValidationLab.Configuration;

/// <summary>
/// A validated, frozen run configuration: one runner, one or more suites and the run context (seed, limit, output)
/// after every flag override. Built by <see cref="ConfigLoader"/> from a YAML file or from command-line flags;
/// the pipeline hands <see cref="Run"/> to every plug-in it creates, so there is one seed, not one per record.
/// </summary>
public sealed record EvalConfig
{
    public required RunnerSettings Runner { get; init; }

    public required IReadOnlyList<SuiteSettings> Suites { get; init; }

    /// <summary>The run-wide settings every plug-in receives (seed, limit, out, max error rate).</summary>
    public RunContext Run { get; init; } = RunContext.Default;

    /// <summary>The run seed (<see cref="RunContext.Seed"/>); setting it sets <see cref="Run"/>.</summary>
    public int Seed
    {
        get => Run.Seed;
        init => Run = Run with { Seed = value };
    }

    /// <summary>The folder results are written to (exactly there); null means runs/&lt;run id&gt;.</summary>
    public string? OutDirectory
    {
        get => Run.OutDirectory;
        init => Run = Run with { OutDirectory = value };
    }

    /// <summary>Fail the run (exit code 3, results still written) when more than this share of items errored.</summary>
    public double? MaxErrorRate
    {
        get => Run.MaxErrorRate;
        init => Run = Run with { MaxErrorRate = value };
    }

    /// <summary>Slices to compute after aggregation (issue 9: the config's 'slices:' section); null when none were declared.</summary>
    public Analysis.Slicing.SliceSettings? Slices { get; init; }

    /// <summary>
    /// The model card the report shows (config <c>model_card:</c> or <c>--model-card FILE</c>); null when none was
    /// given. Not part of config.yaml or its hash: it changes no answer. The run writes it as model-card.json.
    /// </summary>
    public Exporters.ReportModelCard? ModelCard { get; init; }

    /// <summary>"run.yaml", "command line" or "embedded default", for messages.</summary>
    public required string Origin { get; init; }

    /// <summary>Top-level keys of the config file and the line each is on (for messages about them).</summary>
    public IReadOnlyDictionary<string, long> KeyLines { get; init; } = new Dictionary<string, long>();

    /// <summary>Full path of a data file -> the path as the user gave it (or the repository-relative fixture path).</summary>
    public IReadOnlyDictionary<string, string> PathsAsGiven { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The effective configuration as written to the run folder's config.yaml (see <see cref="EffectiveConfig"/>).
    /// Computed from the values, so no edit of the record can leave it stale.
    /// </summary>
    public string EffectiveYaml => EffectiveConfig.Render(this);

    /// <summary>SHA-256 of <see cref="EffectiveYaml"/>'s UTF-8 bytes: recomputable with <c>sha256sum config.yaml</c>.</summary>
    public string ConfigSha256 => RequestHasher.Sha256Hex(EffectiveYaml);

    /// <summary>
    /// The <see cref="ConfigSha256"/> of the whole evaluation this run is part of: the same configuration without
    /// its shard. Equal for every shard of one evaluation (merge checks it) and for the unsharded run.
    /// </summary>
    public string EvaluationSha256 => Run.Shard is null ? ConfigSha256 : (this with { Run = Run with { Shard = null } }).ConfigSha256;
}
