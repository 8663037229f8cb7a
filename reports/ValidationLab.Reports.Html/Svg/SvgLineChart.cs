using System.Globalization;
using System.Text;

namespace ValidationLab.Reports.Html.Svg;

/// <summary>
/// A line chart of one curve (ROC, reliability diagram, time-to-detection): title, axis labels, ticks, the points
/// joined in drawing order, and an optional diagonal reference (chance for ROC, perfect calibration for
/// reliability). Like <see cref="SvgBarChart"/>: deterministic bytes, every label through the one encoder, and the
/// same numbers in a table beside it.
/// </summary>
internal sealed class SvgLineChart
{
    private const double Width = 420, Height = 300, Left = 56, Right = 16, Top = 34, Bottom = 48;

    public required string Title { get; init; }

    public required string XLabel { get; init; }

    public required string YLabel { get; init; }

    public required IReadOnlyList<(double X, double Y)> Points { get; init; }

    /// <summary>Draw the y = x diagonal (both axes then span 0–1).</summary>
    public bool Diagonal { get; init; }

    public string Render()
    {
        var finite = Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        (double x0, double x1) = Range(finite.Select(p => p.X), Diagonal);
        (double y0, double y1) = Range(finite.Select(p => p.Y), Diagonal);
        double pw = Width - Left - Right, ph = Height - Top - Bottom;
        double Sx(double x) => Left + (x - x0) / (x1 - x0) * pw;
        double Sy(double y) => Top + ph - (y - y0) / (y1 - y0) * ph;

        var sb = new StringBuilder(2048);
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ").Append(N(Width)).Append(' ').Append(N(Height))
            .Append("\" width=\"").Append(N(Width)).Append("\" height=\"").Append(N(Height)).Append("\">");
        sb.Append("<title>").Append(HtmlText.Encode(Title)).Append("</title>");
        sb.Append("<text x=\"").Append(N(Left)).Append("\" y=\"18\" font-size=\"13\" font-weight=\"600\" fill=\"#1d2330\">").Append(HtmlText.Encode(Title)).Append("</text>");
        for (int i = 0; i <= 4; i++)
        {
            double fx = x0 + (x1 - x0) * i / 4, fy = y0 + (y1 - y0) * i / 4;
            sb.Append("<line x1=\"").Append(N(Left)).Append("\" x2=\"").Append(N(Left + pw)).Append("\" y1=\"").Append(N(Sy(fy))).Append("\" y2=\"").Append(N(Sy(fy)))
                .Append("\" stroke=\"#d9dee7\"/>");
            sb.Append("<text x=\"").Append(N(Left - 6)).Append("\" y=\"").Append(N(Sy(fy) + 4)).Append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6475\">").Append(Tick(fy)).Append("</text>");
            sb.Append("<text x=\"").Append(N(Sx(fx))).Append("\" y=\"").Append(N(Top + ph + 16)).Append("\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6475\">").Append(Tick(fx)).Append("</text>");
        }

        sb.Append("<text x=\"").Append(N(Left + pw / 2)).Append("\" y=\"").Append(N(Height - 8)).Append("\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1d2330\">").Append(HtmlText.Encode(XLabel)).Append("</text>");
        sb.Append("<text x=\"14\" y=\"").Append(N(Top + ph / 2)).Append("\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1d2330\" transform=\"rotate(-90 14 ").Append(N(Top + ph / 2)).Append(")\">")
            .Append(HtmlText.Encode(YLabel)).Append("</text>");
        if (Diagonal)
        {
            sb.Append("<line x1=\"").Append(N(Sx(0))).Append("\" y1=\"").Append(N(Sy(0))).Append("\" x2=\"").Append(N(Sx(1))).Append("\" y2=\"").Append(N(Sy(1)))
                .Append("\" stroke=\"#5b6475\" stroke-dasharray=\"4 4\"/>");
        }

        if (finite.Count > 0)
        {
            sb.Append("<path fill=\"none\" stroke=\"#0b5cad\" stroke-width=\"2\" d=\"");
            for (int i = 0; i < finite.Count; i++)
            {
                sb.Append(i == 0 ? 'M' : 'L').Append(N(Sx(finite[i].X))).Append(' ').Append(N(Sy(finite[i].Y)));
            }

            sb.Append("\"/>");
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    private static (double Low, double High) Range(IEnumerable<double> values, bool unit)
    {
        if (unit)
        {
            return (0, 1);
        }

        var list = values.ToList();
        double low = list.Count == 0 ? 0 : Math.Min(0, list.Min());
        double high = list.Count == 0 ? 1 : list.Max();
        return high > low ? (low, high) : (low, low + 1);
    }

    private static string Tick(double v) => v.ToString(Math.Abs(v) >= 10 ? "F0" : "0.##", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
