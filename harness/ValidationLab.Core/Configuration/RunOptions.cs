namespace ValidationLab.Configuration;

/// <summary>
/// What the user asked for on the command line, before validation. Either <see cref="ConfigFile"/> or the
/// suite/runner flags; with neither, the embedded default runs.
/// </summary>
public sealed record RunOptions
{
    public string? ConfigFile { get; init; }

    public string? Suite { get; init; }

    public string? Data { get; init; }

    public string? Runner { get; init; }

    public string? Predictions { get; init; }

    public string? Mode { get; init; }

    public int? Shots { get; init; }

    public string? Exemplars { get; init; }

    public int? Seed { get; init; }

    public string? Out { get; init; }

    public double? MaxErrorRate { get; init; }

    /// <summary>Evaluate at most this many items per suite (<c>--limit</c>).</summary>
    public int? Limit { get; init; }

    /// <summary>With <see cref="Limit"/>: a sample drawn with the seed instead of the first items (<c>--sample</c>).</summary>
    public bool Sample { get; init; }

    /// <summary>Evaluate one shard, "I/N" as typed (<c>--shard</c>); parsed by <see cref="Pipeline.ItemShard.Parse"/>.</summary>
    public string? Shard { get; init; }

    /// <summary>The run store (<c>--store</c>); recorded in the run context.</summary>
    public string? Store { get; init; }

    /// <summary>Replace the run files of an existing results folder (<c>--overwrite</c>); other files are kept.</summary>
    public bool Overwrite { get; init; }

    /// <summary>A model-card file (<c>--model-card</c>, JSON or YAML) for the report; replaces the config's <c>model_card:</c>.</summary>
    public string? ModelCard { get; init; }

    /// <summary>Extra runner settings as key=value.</summary>
    public IReadOnlyList<string> RunnerOptions { get; init; } = [];

    /// <summary>Extra suite settings as key=value.</summary>
    public IReadOnlyList<string> SuiteOptions { get; init; } = [];
}
