namespace ValidationLab.Statistics;

/// <summary>
/// Confusion-matrix metrics at one decision threshold (predicted positive when score ≥ threshold), each with
/// a Wilson CI. A metric whose denominator is 0 (e.g. PPV with no predicted positives) gets the documented
/// n = 0 Wilson value: Value 0, interval [0, 1], N 0.
/// </summary>
public sealed record ThresholdMetrics(
    double Threshold,
    int TruePositives,
    int FalsePositives,
    int TrueNegatives,
    int FalseNegatives,
    Estimate Sensitivity,
    Estimate Specificity,
    Estimate PositivePredictiveValue,
    Estimate NegativePredictiveValue);
