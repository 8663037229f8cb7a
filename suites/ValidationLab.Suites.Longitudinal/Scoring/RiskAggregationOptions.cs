namespace ValidationLab.Suites.Longitudinal.Scoring;

/// <summary>
/// How risk metrics are computed. Alert metrics use <see cref="Threshold"/> when set, else the threshold that meets
/// <see cref="TargetAlertRate"/> (share of decision points alerting); with neither, they are left out and a note says
/// so. Setting both is refused. <see cref="BootstrapResamples"/> 0 turns intervals off.
/// </summary>
public sealed record RiskAggregationOptions
{
    /// <summary>Alert when the score is at or above this probability.</summary>
    public double? Threshold { get; init; }

    /// <summary>Alert on this share of decision points (the threshold is chosen on the evaluated data, then held fixed).</summary>
    public double? TargetAlertRate { get; init; }

    /// <summary>Patient cluster bootstrap resamples for every interval (default 1000; 0: no intervals).</summary>
    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>Seed of the bootstrap: the run seed, so that intervals reproduce.</summary>
    public int Seed { get; init; }
}
