namespace ValidationLab.Statistics;

/// <summary>
/// Outcome of a one-sided non-inferiority or superiority test of paired accuracy against a margin.
/// </summary>
/// <param name="Hypothesis">"non-inferiority" or "superiority".</param>
/// <param name="Margin">Margin m ≥ 0. Non-inferiority H0: Δ ≤ −m; superiority H0: Δ ≤ m.</param>
/// <param name="Difference">Observed Δ = accuracy(candidate) − accuracy(baseline).</param>
/// <param name="Bound">One-sided (1 − α) lower confidence bound for Δ used for the decision.</param>
/// <param name="Statistic">Tango score statistic at the null boundary.</param>
/// <param name="PValue">One-sided p-value.</param>
/// <param name="Alpha">One-sided significance level.</param>
/// <param name="Rejected">True when H0 is rejected (candidate shown non-inferior / superior); equivalent to Bound &gt; null boundary.</param>
/// <param name="N">Number of paired items.</param>
/// <param name="Method">Method name.</param>
public sealed record MarginTestResult(
    string Hypothesis,
    double Margin,
    double Difference,
    double Bound,
    double Statistic,
    double PValue,
    double Alpha,
    bool Rejected,
    int N,
    string Method);
