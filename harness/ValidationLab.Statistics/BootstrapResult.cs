namespace ValidationLab.Statistics;

/// <summary>
/// Result of a bootstrap: the interval estimate (point value = statistic on the original data) plus
/// diagnostics.
/// </summary>
/// <param name="Estimate">Point estimate and bootstrap CI; <see cref="Estimate.Method"/> names the scheme, e.g. "Cluster BCa bootstrap 95% CI".</param>
/// <param name="StandardError">Standard deviation of the valid bootstrap replicates.</param>
/// <param name="Bias">Mean of the valid replicates minus the point estimate.</param>
/// <param name="Resamples">Resamples requested.</param>
/// <param name="InvalidResamples">Resamples on which the statistic was undefined (NaN) and that were dropped.</param>
/// <param name="Seed">Seed used.</param>
public sealed record BootstrapResult(
    Estimate Estimate,
    double StandardError,
    double Bias,
    int Resamples,
    int InvalidResamples,
    ulong Seed);
