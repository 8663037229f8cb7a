namespace ValidationLab.Statistics;

/// <summary>Paired DeLong comparison of two models' AUROC on the same cases.</summary>
/// <param name="AucFirst">AUROC of model A.</param>
/// <param name="AucSecond">AUROC of model B.</param>
/// <param name="Difference">AUC(A) − AUC(B) with DeLong CI, method "DeLong paired 95% CI".</param>
/// <param name="Z">DeLong z statistic (0 when the two models' AUCs and components are identical).</param>
/// <param name="PValue">Two-sided p-value.</param>
/// <param name="Correlation">DeLong correlation between the two AUC estimates (0 when undefined).</param>
/// <param name="Method">"DeLong paired test".</param>
public sealed record PairedAurocResult(
    double AucFirst,
    double AucSecond,
    Estimate Difference,
    double Z,
    double PValue,
    double Correlation,
    string Method);
