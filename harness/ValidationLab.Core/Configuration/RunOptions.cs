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

    /// <summary>Extra runner settings as key=value.</summary>
    public IReadOnlyList<string> RunnerOptions { get; init; } = [];

    /// <summary>Extra suite settings as key=value.</summary>
    public IReadOnlyList<string> SuiteOptions { get; init; } = [];
}
