namespace ValidationLab.Configuration;

/// <summary>
/// The run-wide settings every plug-in sees, built once from the config file and the flags (flags win) and frozen
/// before any plug-in is created. Suites and runners read the seed from here (through their settings'
/// <c>Run</c>), and the manifest records the same object, so what a run records is what it used.
/// </summary>
public sealed record RunContext
{
    /// <summary>Seed 0, no limit: what a plug-in sees when it is built outside a run (tests, tools).</summary>
    public static RunContext Default { get; } = new();

    /// <summary>Seed for exemplar draws, random baselines, item sampling and endpoint decoding.</summary>
    public int Seed { get; init; }

    /// <summary>Only part of each suite's items is evaluated; null means every item.</summary>
    public RunLimit? Limit { get; init; }

    /// <summary>Only one shard of each suite's (limited) items is evaluated; null means the whole evaluation.</summary>
    public RunShard? Shard { get; init; }

    /// <summary>Exit code 3 when more than this share of items errored; null means no limit.</summary>
    public double? MaxErrorRate { get; init; }

    /// <summary>The results folder as the user gave it (full path); null means runs/&lt;run id&gt;.</summary>
    public string? OutDirectory { get; init; }

    /// <summary>Replace the run files of an existing results folder (other files in it are kept).</summary>
    public bool Overwrite { get; init; }

    /// <summary>The run store path as the user gave it; null means the default (.validationlab/store.db).</summary>
    public string? StorePath { get; init; }
}

/// <summary>
/// Evaluate at most <see cref="Count"/> items per suite: the first ones in file order, or (when
/// <see cref="Sampled"/>) a sample drawn with the run seed. Recorded in the manifest as
/// <c>{"count": N, "sampled": bool, "seed": S}</c>.
/// </summary>
public sealed record RunLimit(int Count, bool Sampled);
