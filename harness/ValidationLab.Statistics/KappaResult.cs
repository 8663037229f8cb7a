namespace ValidationLab.Statistics;

/// <summary>Cohen's kappa with its asymptotic standard error and CI.</summary>
/// <param name="Kappa">Kappa with Wald CI κ ± z·SE; the method names the weighting and the SE used.</param>
/// <param name="StandardError">Large-sample SE of Fleiss, Cohen &amp; Everitt (1969) (statsmodels <c>std_kappa</c>).</param>
/// <param name="Categories">Number of categories in the table.</param>
public sealed record KappaResult(Estimate Kappa, double StandardError, int Categories);
