namespace ValidationLab.Reports.Html.Svg;

/// <summary>
/// A "nice" linear y axis from zero: the top and step are 1, 2, 2.5 or 5 times a power of ten, so tick labels read
/// as round numbers. Degenerate data (all zero, negative, NaN) still gives a usable axis of 0..1, which is what keeps
/// the chart free of divisions by zero.
/// </summary>
internal readonly record struct AxisScale(double Top, double Step)
{
    public int TickCount => (int)Math.Round(Top / Step) + 1;

    public double Tick(int index) => index * Step;

    /// <summary>Fraction of the plot height a value reaches, clamped to [0, 1].</summary>
    public double Fraction(double value) => double.IsFinite(value) ? Math.Clamp(value / Top, 0, 1) : 0;

    public static AxisScale For(double dataMax, double? fixedTop, bool wholeNumbers)
    {
        if (fixedTop is { } top && double.IsFinite(top) && top > 0)
        {
            return new AxisScale(top, NiceStep(top / 4, wholeNumbers));
        }

        if (!double.IsFinite(dataMax) || dataMax <= 0)
        {
            return new AxisScale(1, wholeNumbers ? 1 : 0.25);
        }

        double step = NiceStep(dataMax / 4, wholeNumbers);
        double niceTop = Math.Ceiling(dataMax / step - 1e-9) * step;
        return new AxisScale(Math.Max(niceTop, step), step);
    }

    private static double NiceStep(double rough, bool wholeNumbers)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double normalized = rough / magnitude;
        double nice = normalized switch
        {
            <= 1 => 1,
            <= 2 => 2,
            <= 2.5 => 2.5,
            <= 5 => 5,
            _ => 10,
        };
        double step = nice * magnitude;

        // Counts never need a tick at 0.5 or 2.5: use the next whole, still round, step.
        if (wholeNumbers && step != Math.Floor(step))
        {
            step = step < 1 ? 1 : 5 * magnitude;
        }

        return step;
    }
}
