namespace ValidationLab.Statistics;

/// <summary>
/// Settings of a bootstrap run. The same options and data give bit-identical results on any machine and
/// for any degree of parallelism: resamples are split in fixed chunks whose RNG streams derive from
/// (<see cref="Seed"/>, chunk index).
/// </summary>
public sealed record BootstrapOptions
{
    /// <summary>Number of bootstrap resamples (default 2000).</summary>
    public int Resamples { get; init; } = 2000;

    /// <summary>Two-sided confidence level (default 0.95).</summary>
    public double Level { get; init; } = 0.95;

    /// <summary>RNG seed (default 20240601).</summary>
    public ulong Seed { get; init; } = 20240601;

    /// <summary>Interval type (default percentile).</summary>
    public BootstrapInterval Interval { get; init; } = BootstrapInterval.Percentile;

    /// <summary>Maximum worker threads; null means all cores. Does not change the result.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    internal void Validate()
    {
        if (Resamples < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Resamples), Resamples, "At least 2 resamples are needed.");
        }

        Guard.Level(Level, nameof(Level));
        if (MaxDegreeOfParallelism is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Must be at least 1.");
        }
    }
}
