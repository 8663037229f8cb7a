using System.Globalization;
using System.Text;

namespace ValidationLab.Reports.Html.Svg;

/// <summary>
/// A forest plot: one row per labelled estimate with its interval as a horizontal whisker, a solid zero line (no
/// gap) and a symmetric x axis so gaps in either direction read alike. Like the other charts: deterministic bytes,
/// every label through the one encoder, and a table with the same numbers next to it.
/// </summary>
internal sealed class SvgForestPlot
{
    private const double Width = 560, LabelWidth = 190, Right = 20, Top = 34, RowHeight = 22, Bottom = 48;

    public required string Title { get; init; }

    public required string XLabel { get; init; }

    /// <summary>Rows in drawing order; Low/High may be null when no interval is known (then only the point is drawn).</summary>
    public required IReadOnlyList<ForestRow> Rows { get; init; }

    /// <summary>Formats an axis tick (e.g. percentage points).</summary>
    public Func<double, string> Tick { get; init; } = v => v.ToString("0.##", CultureInfo.InvariantCulture);

    public string Render()
    {
        var rows = Rows.Where(r => double.IsFinite(r.Estimate)).ToList();
        double extent = 0;
        foreach (ForestRow r in rows)
        {
            extent = Math.Max(extent, Math.Abs(r.Estimate));
            if (r.Low is { } l && double.IsFinite(l)) { extent = Math.Max(extent, Math.Abs(l)); }
            if (r.High is { } h && double.IsFinite(h)) { extent = Math.Max(extent, Math.Abs(h)); }
        }

        AxisScale scale = AxisScale.For(extent, fixedTop: null, wholeNumbers: false);
        double half = scale.Top;
        double height = Top + Math.Max(1, rows.Count) * RowHeight + Bottom;
        double pw = Width - LabelWidth - Right, plotBottom = height - Bottom;
        double Sx(double x) => LabelWidth + (Math.Clamp(x, -half, half) + half) / (2 * half) * pw;

        var sb = new StringBuilder(2048);
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart forest\" role=\"img\" viewBox=\"0 0 ").Append(N(Width)).Append(' ').Append(N(height))
            .Append("\" width=\"").Append(N(Width)).Append("\" height=\"").Append(N(height)).Append("\">");
        sb.Append("<title>").Append(HtmlText.Encode(Title)).Append("</title>");
        sb.Append("<text x=\"8\" y=\"18\" font-size=\"13\" font-weight=\"600\" fill=\"#1d2330\">").Append(HtmlText.Encode(Title)).Append("</text>");
        int ticks = scale.TickCount - 1;
        for (int i = -ticks; i <= ticks; i++)
        {
            double v = i * scale.Step;
            sb.Append("<line x1=\"").Append(N(Sx(v))).Append("\" x2=\"").Append(N(Sx(v))).Append("\" y1=\"").Append(N(Top)).Append("\" y2=\"").Append(N(plotBottom))
                .Append("\" stroke=\"#d9dee7\"/>");
            sb.Append("<text x=\"").Append(N(Sx(v))).Append("\" y=\"").Append(N(plotBottom + 16)).Append("\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6475\">")
                .Append(HtmlText.Encode(Tick(v))).Append("</text>");
        }

        sb.Append("<line class=\"zero\" x1=\"").Append(N(Sx(0))).Append("\" x2=\"").Append(N(Sx(0))).Append("\" y1=\"").Append(N(Top - 4)).Append("\" y2=\"").Append(N(plotBottom))
            .Append("\" stroke=\"#1d2330\" stroke-width=\"1.5\"/>");
        sb.Append("<text x=\"").Append(N(LabelWidth + pw / 2)).Append("\" y=\"").Append(N(height - 8)).Append("\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1d2330\">")
            .Append(HtmlText.Encode(XLabel)).Append("</text>");

        for (int i = 0; i < rows.Count; i++)
        {
            ForestRow r = rows[i];
            double y = Top + (i + 0.5) * RowHeight;
            string colour = r.Flagged ? "#b3261e" : "#0b5cad";
            sb.Append("<text x=\"").Append(N(LabelWidth - 8)).Append("\" y=\"").Append(N(y + 4)).Append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#1d2330\">")
                .Append(HtmlText.Encode(Shorten(r.Label))).Append("</text>");
            if (r.Low is { } low && r.High is { } high && double.IsFinite(low) && double.IsFinite(high))
            {
                sb.Append("<line class=\"whisker\" x1=\"").Append(N(Sx(low))).Append("\" x2=\"").Append(N(Sx(high))).Append("\" y1=\"").Append(N(y)).Append("\" y2=\"").Append(N(y))
                    .Append("\" stroke=\"").Append(colour).Append("\" stroke-width=\"2\"/>");
            }

            sb.Append("<circle class=\"point\" cx=\"").Append(N(Sx(r.Estimate))).Append("\" cy=\"").Append(N(y)).Append("\" r=\"4\" fill=\"").Append(colour).Append("\">")
                .Append("<title>").Append(HtmlText.Encode(r.Label)).Append("</title></circle>");
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    // Group keys are data and can be long: the full key stays in the point's title and in the table.
    private static string Shorten(string label) => label.Length <= 30 ? label : label[..29] + "…";

    private static string N(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}

/// <summary>One row of a forest plot.</summary>
internal sealed record ForestRow(string Label, double Estimate, double? Low, double? High, bool Flagged);
