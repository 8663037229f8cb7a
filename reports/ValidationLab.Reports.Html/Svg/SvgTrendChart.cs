using System.Globalization;
using System.Text;

namespace ValidationLab.Reports.Html.Svg;

/// <summary>
/// A metric over successive runs: one point per run, left to right in the order given (oldest first), joined by a
/// line, each with its interval as a vertical whisker; the last point (the run the report is about) is drawn filled
/// and larger. Runs are spaced evenly rather than by date, so that a burst of runs in one afternoon stays readable.
/// Like the other charts: y axis from zero with round ticks (<see cref="AxisScale"/>), deterministic bytes, every
/// label through the one encoder, and the same numbers in a table next to it.
/// </summary>
internal sealed class SvgTrendChart
{
    private const double Height = 300, Left = 56, Right = 20, Top = 34, Bottom = 64, Step = 56, MinPlotWidth = 280;

    public required string Title { get; init; }

    public required string XLabel { get; init; }

    public required string YLabel { get; init; }

    /// <summary>Points in drawing order; a null value draws nothing (the table says why), a null bound no whisker.</summary>
    public required IReadOnlyList<TrendPoint> Points { get; init; }

    /// <summary>A fixed top of the y axis (1 for proportions); null to fit the data.</summary>
    public double? YMax { get; init; }

    /// <summary>Formats the y-axis ticks.</summary>
    public Func<double, string> Tick { get; init; } = v => v.ToString("0.##", CultureInfo.InvariantCulture);

    public string Render()
    {
        double pw = Math.Max(MinPlotWidth, Points.Count * Step), ph = Height - Top - Bottom;
        double width = Left + pw + Right;
        double max = 0;
        foreach (TrendPoint p in Points)
        {
            max = Math.Max(max, Finite(p.Value));
            max = Math.Max(max, Finite(p.High));
        }

        AxisScale scale = AxisScale.For(max, YMax, wholeNumbers: false);
        double Sx(int i) => Left + (i + 0.5) * pw / Math.Max(1, Points.Count);
        double Sy(double v) => Top + ph * (1 - scale.Fraction(v));

        var sb = new StringBuilder(2048);
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart trend\" role=\"img\" viewBox=\"0 0 ").Append(N(width)).Append(' ').Append(N(Height))
            .Append("\" width=\"").Append(N(width)).Append("\" height=\"").Append(N(Height)).Append("\">");
        sb.Append("<title>").Append(HtmlText.Encode(Title)).Append("</title>");
        sb.Append("<text x=\"").Append(N(Left)).Append("\" y=\"18\" font-size=\"13\" font-weight=\"600\" fill=\"#1d2330\">").Append(HtmlText.Encode(Title)).Append("</text>");
        for (int i = 0; i < scale.TickCount; i++)
        {
            double y = Sy(scale.Tick(i));
            sb.Append("<line x1=\"").Append(N(Left)).Append("\" x2=\"").Append(N(Left + pw)).Append("\" y1=\"").Append(N(y)).Append("\" y2=\"").Append(N(y))
                .Append("\" stroke=\"").Append(i == 0 ? "#5b6475" : "#d9dee7").Append("\"/>");
            sb.Append("<text x=\"").Append(N(Left - 6)).Append("\" y=\"").Append(N(y + 4)).Append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6475\">")
                .Append(HtmlText.Encode(Tick(scale.Tick(i)))).Append("</text>");
        }

        sb.Append("<text x=\"").Append(N(Left + pw / 2)).Append("\" y=\"").Append(N(Height - 8)).Append("\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1d2330\">")
            .Append(HtmlText.Encode(XLabel)).Append("</text>");
        sb.Append("<text x=\"14\" y=\"").Append(N(Top + ph / 2)).Append("\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1d2330\" transform=\"rotate(-90 14 ").Append(N(Top + ph / 2)).Append(")\">")
            .Append(HtmlText.Encode(YLabel)).Append("</text>");

        // The line joins consecutive runs that have a value; a run without one breaks it, so no value is implied.
        var path = new StringBuilder();
        bool pen = false;
        for (int i = 0; i < Points.Count; i++)
        {
            if (Points[i].Value is { } v && double.IsFinite(v))
            {
                path.Append(pen ? 'L' : 'M').Append(N(Sx(i))).Append(' ').Append(N(Sy(v)));
                pen = true;
            }
            else
            {
                pen = false;
            }
        }

        if (path.Length > 0)
        {
            sb.Append("<path class=\"line\" fill=\"none\" stroke=\"#0b5cad\" stroke-width=\"2\" d=\"").Append(path).Append("\"/>");
        }

        for (int i = 0; i < Points.Count; i++)
        {
            TrendPoint p = Points[i];
            double x = Sx(i);
            sb.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(Top + ph + 16)).Append("\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5b6475\">")
                .Append(HtmlText.Encode(p.Label)).Append("</text>");
            if (p.Low is { } low && p.High is { } high && double.IsFinite(low) && double.IsFinite(high))
            {
                sb.Append("<path class=\"whisker\" d=\"M").Append(N(x)).Append(' ').Append(N(Sy(low))).Append('V').Append(N(Sy(high)))
                    .Append('M').Append(N(x - 5)).Append(' ').Append(N(Sy(high))).Append("h10")
                    .Append('M').Append(N(x - 5)).Append(' ').Append(N(Sy(low))).Append("h10")
                    .Append("\" stroke=\"#1d2330\" stroke-width=\"1.5\" fill=\"none\"/>");
            }

            if (p.Value is { } value && double.IsFinite(value))
            {
                sb.Append("<circle class=\"point\" cx=\"").Append(N(x)).Append("\" cy=\"").Append(N(Sy(value))).Append("\" r=\"").Append(p.Current ? "6" : "4")
                    .Append("\" fill=\"").Append(p.Current ? "#b3261e" : "#0b5cad").Append("\"><title>").Append(HtmlText.Encode(p.Tooltip)).Append("</title></circle>");
            }
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    private static double Finite(double? value) => value is { } v && double.IsFinite(v) ? v : 0;

    /// <summary>Coordinates with one fixed decimal, invariant: identical bytes on every machine.</summary>
    private static string N(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}

/// <summary>One run on a trend chart: its axis label, value with interval, hover text, and whether it is the report's own run.</summary>
internal sealed record TrendPoint(string Label, double? Value, double? Low, double? High, string Tooltip, bool Current);
