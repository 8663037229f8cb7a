namespace ValidationLab.Governance;

/// <summary>Settings of the comparison that <c>gate --baseline</c> runs itself.</summary>
public sealed record ComparisonSettings
{
    public double Margin { get; init; } = 0.02;

    public int Seed { get; init; }

    public int Resamples { get; init; } = 10_000;
}
