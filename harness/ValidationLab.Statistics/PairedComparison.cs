namespace ValidationLab.Statistics;

/// <summary>
/// Full paired comparison of two models on the same items: both accuracies (Wilson CIs), the accuracy
/// difference A − B with a paired CI, the discordant counts and the McNemar exact and mid-p tests.
/// </summary>
/// <param name="N">Number of paired items.</param>
/// <param name="AccuracyFirst">Accuracy of model A with Wilson CI.</param>
/// <param name="AccuracySecond">Accuracy of model B with Wilson CI.</param>
/// <param name="Difference">Accuracy difference A − B with paired CI (method named in <see cref="Estimate.Method"/>).</param>
/// <param name="B">Items A got right and B got wrong.</param>
/// <param name="C">Items A got wrong and B got right.</param>
/// <param name="McNemarExactP">Two-sided exact McNemar p-value.</param>
/// <param name="McNemarMidP">Two-sided mid-p McNemar p-value.</param>
/// <param name="Method">Summary of the methods used.</param>
public sealed record PairedComparison(
    int N,
    Estimate AccuracyFirst,
    Estimate AccuracySecond,
    Estimate Difference,
    int B,
    int C,
    double McNemarExactP,
    double McNemarMidP,
    string Method);
