namespace ValidationLab.Results;

/// <summary>
/// A curve a suite hands to the report (ROC, reliability, time-to-detection, decision curve): named axes and
/// points in drawing order. Addressable as <c>suites.&lt;suite&gt;.curves.&lt;name&gt;</c> in results.json.
/// </summary>
public sealed record Curve
{
    /// <summary>Plain-words title ("ROC curve, decision points").</summary>
    public required string Title { get; init; }

    public required string XLabel { get; init; }

    public required string YLabel { get; init; }

    public required IReadOnlyList<CurvePoint> Points { get; init; }
}

/// <summary>One point of a <see cref="Curve"/>; <see cref="Label"/> annotates it (a threshold, a bin's n).</summary>
public sealed record CurvePoint(double X, double Y, string? Label = null);
