namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>One point of a decision curve: net benefit of the model and of treating everyone at threshold probability p_t (treating no one is 0).</summary>
public sealed record NetBenefitPoint(double Threshold, double Model, double TreatAll);
