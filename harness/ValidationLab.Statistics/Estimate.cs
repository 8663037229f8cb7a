namespace ValidationLab.Statistics;

/// <summary>
/// An interval estimate of any quantity: a point value with a two-sided interval, the sample size it
/// rests on and the name of the method that produced it (for example "Wilson 95% CI").
/// </summary>
/// <param name="Value">Point estimate.</param>
/// <param name="Low">Lower bound of the interval.</param>
/// <param name="High">Upper bound of the interval.</param>
/// <param name="N">Number of observations (items, pairs or cases) behind the estimate.</param>
/// <param name="Method">Human-readable name of the method, so every reported number says how it was made.</param>
public sealed record Estimate(double Value, double Low, double High, int N, string Method)
{
    /// <summary>Width of the interval (High - Low).</summary>
    public double Width => High - Low;

    /// <summary>True when <paramref name="x"/> lies inside the closed interval.</summary>
    public bool Contains(double x) => x >= Low && x <= High;
}
