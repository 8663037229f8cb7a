namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>One point of a time-to-detection curve: the share of units with an event alerted at least <paramref name="HoursBeforeOnset"/> before it.</summary>
public sealed record DetectionPoint(double HoursBeforeOnset, double Fraction);
