namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>One ROC point: alerting at score ≥ <paramref name="Threshold"/> (+∞ for the origin) gives these rates.</summary>
public sealed record RocPoint(double Threshold, double FalsePositiveRate, double TruePositiveRate);
