using System.Globalization;
using System.Text;

namespace ValidationLab.Reports.Html.Svg;

/// <summary>
/// A grouped vertical bar chart as inline SVG: y axis from zero with round ticks, one group per category, one bar
/// per series, optional interval whiskers and value labels. Written by hand because no charting library may be
/// used here, and so the output is deterministic (invariant culture, one decimal for coordinates) and safe (every
/// label goes through <see cref="HtmlText"/>). Accessible as an image with a title and description; the report
/// always shows the same numbers in a table next to it.
/// </summary>
public sealed class SvgBarChart
{
    // Okabe–Ito colours: distinguishable with the common colour-vision deficiencies and in greyscale print.
    private static readonly string[] Palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];

    private const double BarWidth = 26;
    private const double MinGroupWidth = 64;
    private const double GroupPadding = 16;
    private const double MarginLeft = 52;
    private const double MarginRight = 12;
    private const double MarginTop = 34;
    private const double MarginBottom = 30;
    private const double CharWidth = 6.2;

    /// <summary>Accessible name, also the SVG's title.</summary>
    public required string Title { get; init; }

    /// <summary>What the chart shows in words, for screen readers.</summary>
    public string? Description { get; init; }

    /// <summary>The x-axis groups, left to right.</summary>
    public required IReadOnlyList<string> Categories { get; init; }

    public required IReadOnlyList<BarSeries> Series { get; init; }

    /// <summary>A fixed top of the y axis (1 for proportions); null to fit the data.</summary>
    public double? YMax { get; init; }

    /// <summary>Formats bar labels and ticks; defaults to whole numbers.</summary>
    public Func<double, string> FormatValue { get; init; } = v => v.ToString("F0", CultureInfo.InvariantCulture);

    /// <summary>True when values are counts, so ticks are whole numbers.</summary>
    public bool WholeNumbers { get; init; } = true;

    /// <summary>Legend text explaining the whiskers, shown when any series has intervals.</summary>
    public string WhiskerLegend { get; init; } = "whiskers: 95% CI";

    public double Height { get; init; } = 240;

    /// <summary>Optional x-axis title, drawn below the category labels (the chart grows by a line).</summary>
    public string? XLabel { get; init; }

    /// <summary>Optional y-axis title, drawn vertically left of the tick labels.</summary>
    public string? YLabel { get; init; }

    /// <summary>Render the chart as an &lt;svg&gt; element.</summary>
    public string Render()
    {
        int seriesCount = Series.Count;
        double groupWidth = Math.Max(MinGroupWidth, seriesCount * BarWidth + GroupPadding);
        double plotWidth = Math.Max(240, Categories.Count * groupWidth);

        // With few categories the groups widen to fill the minimum plot, so bars sit centred under the axis.
        if (Categories.Count > 0)
        {
            groupWidth = plotWidth / Categories.Count;
        }
        double width = MarginLeft + plotWidth + MarginRight;
        double plotHeight = Height - MarginTop - MarginBottom;
        AxisScale scale = AxisScale.For(DataMax(), YMax, WholeNumbers);

        double totalHeight = Height + (XLabel is null ? 0 : 16);

        var sb = new StringBuilder(2048);
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
            .Append(N(width)).Append(' ').Append(N(totalHeight)).Append("\" width=\"").Append(N(width))
            .Append("\" height=\"").Append(N(totalHeight)).Append("\">");
        sb.Append("<title>").Append(HtmlText.Encode(Title)).Append("</title>");
        if (!string.IsNullOrEmpty(Description))
        {
            sb.Append("<desc>").Append(HtmlText.Encode(Description)).Append("</desc>");
        }

        sb.Append('\n');
        AppendAxisTitles(sb, plotWidth, plotHeight, totalHeight);
        AppendAxis(sb, scale, plotWidth, plotHeight);
        AppendLegend(sb);
        for (int c = 0; c < Categories.Count; c++)
        {
            double groupLeft = MarginLeft + c * groupWidth;
            double barsLeft = groupLeft + (groupWidth - seriesCount * BarWidth) / 2;
            for (int s = 0; s < seriesCount; s++)
            {
                AppendBar(sb, scale, plotHeight, c, s, barsLeft + s * BarWidth);
            }

            AppendCategoryLabel(sb, Categories[c], groupLeft + groupWidth / 2, groupWidth);
        }

        sb.Append("</svg>");
        return sb.ToString();
    }

    private double DataMax()
    {
        double max = 0;
        foreach (BarSeries series in Series)
        {
            for (int c = 0; c < Categories.Count; c++)
            {
                max = Math.Max(max, Finite(ValueAt(series.Values, c)));
                max = Math.Max(max, Finite(BoundAt(series.Highs, c)));
            }
        }

        return max;
    }

    private void AppendAxis(StringBuilder sb, AxisScale scale, double plotWidth, double plotHeight)
    {
        double left = MarginLeft;
        double right = MarginLeft + plotWidth;
        for (int i = 0; i < scale.TickCount; i++)
        {
            double value = scale.Tick(i);
            double y = MarginTop + plotHeight * (1 - scale.Fraction(value));
            string stroke = i == 0 ? "#555" : "#ddd";
            sb.Append("<line x1=\"").Append(N(left)).Append("\" y1=\"").Append(N(y)).Append("\" x2=\"").Append(N(right))
                .Append("\" y2=\"").Append(N(y)).Append("\" stroke=\"").Append(stroke).Append("\"/>");
            sb.Append("<text x=\"").Append(N(left - 6)).Append("\" y=\"").Append(N(y + 4))
                .Append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#444\">").Append(HtmlText.Encode(FormatValue(value)))
                .Append("</text>\n");
        }
    }

    private void AppendAxisTitles(StringBuilder sb, double plotWidth, double plotHeight, double totalHeight)
    {
        if (XLabel is not null)
        {
            sb.Append("<text class=\"x-label\" x=\"").Append(N(MarginLeft + plotWidth / 2)).Append("\" y=\"").Append(N(totalHeight - 4))
                .Append("\" text-anchor=\"middle\" font-size=\"12\" fill=\"#222\">").Append(HtmlText.Encode(XLabel)).Append("</text>\n");
        }

        if (YLabel is not null)
        {
            double y = MarginTop + plotHeight / 2;
            sb.Append("<text class=\"y-label\" x=\"11\" y=\"").Append(N(y)).Append("\" transform=\"rotate(-90 11 ").Append(N(y))
                .Append(")\" text-anchor=\"middle\" font-size=\"12\" fill=\"#222\">").Append(HtmlText.Encode(YLabel)).Append("</text>\n");
        }
    }

    private void AppendLegend(StringBuilder sb)
    {
        double x = MarginLeft;
        const double y = 12;
        for (int s = 0; s < Series.Count; s++)
        {
            sb.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y - 9)).Append("\" width=\"10\" height=\"10\" fill=\"")
                .Append(Colour(s)).Append("\"/>");
            sb.Append("<text x=\"").Append(N(x + 14)).Append("\" y=\"").Append(N(y)).Append("\" font-size=\"11\" fill=\"#222\">")
                .Append(HtmlText.Encode(Series[s].Name)).Append("</text>");
            x += 14 + Series[s].Name.Length * CharWidth + 16;
        }

        if (Series.Any(series => series.Lows is not null && series.Highs is not null))
        {
            sb.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" font-size=\"11\" fill=\"#555\">")
                .Append(HtmlText.Encode("⊢⊣ " + WhiskerLegend)).Append("</text>");
        }

        sb.Append('\n');
    }

    private void AppendBar(StringBuilder sb, AxisScale scale, double plotHeight, int category, int seriesIndex, double x)
    {
        BarSeries series = Series[seriesIndex];
        double value = ValueAt(series.Values, category);
        double baseline = MarginTop + plotHeight;
        double centre = x + BarWidth / 2;
        string tooltip = series.Name + " · " + Categories[category] + ": " + Label(value);
        double labelY;

        if (double.IsFinite(value))
        {
            double barHeight = plotHeight * scale.Fraction(value);
            double top = baseline - barHeight;
            sb.Append("<rect x=\"").Append(N(x + 2)).Append("\" y=\"").Append(N(top)).Append("\" width=\"").Append(N(BarWidth - 4))
                .Append("\" height=\"").Append(N(barHeight)).Append("\" fill=\"").Append(Colour(seriesIndex)).Append("\"><title>")
                .Append(HtmlText.Encode(tooltip)).Append("</title></rect>");
            labelY = top;
        }
        else
        {
            labelY = baseline;
        }

        double? low = BoundAt(series.Lows, category);
        double? high = BoundAt(series.Highs, category);
        if (low is { } lo && high is { } hi && double.IsFinite(lo) && double.IsFinite(hi))
        {
            double yLow = baseline - plotHeight * scale.Fraction(lo);
            double yHigh = baseline - plotHeight * scale.Fraction(hi);
            sb.Append("<path d=\"M").Append(N(centre)).Append(' ').Append(N(yLow)).Append('V').Append(N(yHigh))
                .Append("M").Append(N(centre - 5)).Append(' ').Append(N(yHigh)).Append('h').Append("10")
                .Append("M").Append(N(centre - 5)).Append(' ').Append(N(yLow)).Append('h').Append("10")
                .Append("\" stroke=\"#222\" stroke-width=\"1.5\" fill=\"none\"/>");
            labelY = Math.Min(labelY, yHigh);
        }

        sb.Append("<text x=\"").Append(N(centre)).Append("\" y=\"").Append(N(labelY - 4))
            .Append("\" text-anchor=\"middle\" font-size=\"10\" fill=\"#222\">").Append(HtmlText.Encode(Label(value)))
            .Append("</text>\n");
    }

    private void AppendCategoryLabel(StringBuilder sb, string label, double centre, double groupWidth)
    {
        int maxChars = Math.Max(3, (int)(groupWidth / CharWidth) - 1);
        string shown = label.Length <= maxChars ? label : label[..(maxChars - 1)] + "…";
        sb.Append("<text x=\"").Append(N(centre)).Append("\" y=\"").Append(N(Height - MarginBottom + 17)).Append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#222\">");
        if (!ReferenceEquals(shown, label))
        {
            // The full label stays available as a tooltip and in the table beside the chart.
            sb.Append("<title>").Append(HtmlText.Encode(label)).Append("</title>");
        }

        sb.Append(HtmlText.Encode(shown)).Append("</text>\n");
    }

    private string Label(double value) => double.IsFinite(value) ? FormatValue(value) : "n/a";

    private static string Colour(int seriesIndex) => Palette[seriesIndex % Palette.Length];

    private static double ValueAt(IReadOnlyList<double> values, int index) => index < values.Count ? values[index] : double.NaN;

    private static double? BoundAt(IReadOnlyList<double?>? bounds, int index) =>
        bounds is not null && index < bounds.Count ? bounds[index] : null;

    private static double Finite(double? value) => value is { } v && double.IsFinite(v) ? v : 0;

    /// <summary>Coordinates with one fixed decimal, invariant: identical bytes on every machine.</summary>
    private static string N(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
