namespace ValidationLab.Statistics;

/// <summary>AUROC with its DeLong variance and confidence interval.</summary>
/// <param name="Estimate">AUROC with DeLong CI (normal approximation, clipped to [0, 1]), method "DeLong 95% CI".</param>
/// <param name="Variance">DeLong variance of the AUROC (Sun &amp; Xu 2014 fast algorithm; 0 when all scores are tied).</param>
/// <param name="Positives">Number of positive cases.</param>
/// <param name="Negatives">Number of negative cases.</param>
public sealed record AurocResult(Estimate Estimate, double Variance, int Positives, int Negatives)
{
    /// <summary>The AUROC point value.</summary>
    public double Auc => Estimate.Value;

    /// <summary>Standard error √Variance.</summary>
    public double StandardError => Math.Sqrt(Variance);
}
