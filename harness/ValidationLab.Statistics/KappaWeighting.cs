namespace ValidationLab.Statistics;

/// <summary>Disagreement weighting for Cohen's kappa over ordered categories.</summary>
public enum KappaWeighting
{
    /// <summary>Unweighted: any disagreement counts fully.</summary>
    None,

    /// <summary>Linear weights |i − j|/(k − 1) (Cicchetti–Allison).</summary>
    Linear,

    /// <summary>Quadratic weights (i − j)²/(k − 1)² (Fleiss–Cohen).</summary>
    Quadratic,
}
