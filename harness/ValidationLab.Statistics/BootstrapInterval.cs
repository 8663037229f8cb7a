namespace ValidationLab.Statistics;

/// <summary>Kind of bootstrap confidence interval.</summary>
public enum BootstrapInterval
{
    /// <summary>Percentile interval: quantiles of the bootstrap distribution (linear interpolation, as numpy).</summary>
    Percentile,

    /// <summary>Bias-corrected and accelerated interval (Efron 1987; as scipy.stats.bootstrap method="BCa").</summary>
    BCa,
}
