using System.Globalization;
using System.Text.RegularExpressions;
using ValidationLab.Reports.Html.Svg;

namespace ValidationLab.Reports.Tests;

public sealed partial class SvgBarChartTests
{
    private static SvgBarChart Chart(double[] values, double[]? second = null, double? yMax = null) => new()
    {
        Title = "Answer positions",
        Description = "test chart",
        Categories = [.. values.Select((_, i) => ((char)('A' + i)).ToString())],
        Series = second is null
            ? [new BarSeries("Predicted", values)]
            : [new BarSeries("Predicted", values), new BarSeries("Gold", second)],
        YMax = yMax,
    };

    private static double[] BarHeights(string svg) =>
        [.. BarHeight().Matches(svg).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [Fact]
    public void Bars_scale_with_their_values()
    {
        double[] heights = BarHeights(Chart([10, 20, 40]).Render());

        Assert.Equal(3, heights.Length);
        Assert.Equal(heights[0] * 2, heights[1], precision: 0);
        Assert.Equal(heights[0] * 4, heights[2], precision: 0);
    }

    [Fact]
    public void Grouped_bars_share_one_scale()
    {
        double[] heights = BarHeights(Chart([10, 0], second: [5, 10]).Render());

        Assert.Equal(4, heights.Length);
        Assert.Equal(heights[0], heights[3]);
        Assert.Equal(heights[0] / 2, heights[1], precision: 0);
        Assert.Equal(0, heights[2]);
    }

    [Fact]
    public void Zero_counts_draw_empty_bars_with_a_label()
    {
        string svg = Chart([0, 3]).Render();

        Assert.Equal(0, BarHeights(svg)[0]);
        Assert.Contains(">0</text>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void All_zero_data_still_has_a_usable_axis_and_no_nan()
    {
        string svg = Chart([0, 0, 0, 0], second: [0, 0, 0, 0]).Render();

        Assert.All(BarHeights(svg), h => Assert.Equal(0, h));
        Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", svg, StringComparison.Ordinal);
        Assert.Contains(">1</text>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_and_negative_values_never_reach_the_coordinates()
    {
        string svg = Chart([double.NaN, double.PositiveInfinity, -3, 2]).Render();

        Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("∞", svg, StringComparison.Ordinal);
        Assert.Contains(">n/a</text>", svg, StringComparison.Ordinal);
        Assert.All(BarHeights(svg), h => Assert.True(h >= 0));
    }

    [Fact]
    public void No_categories_renders_an_empty_axis()
    {
        string svg = new SvgBarChart { Title = "empty", Categories = [], Series = [] }.Render();

        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Whiskers_are_drawn_from_low_to_high_on_a_fixed_proportion_axis()
    {
        var chart = new SvgBarChart
        {
            Title = "Accuracy by step",
            Categories = ["step1", "step2"],
            Series = [new BarSeries("Accuracy", [0.5, 1.0]) { Lows = [0.25, null], Highs = [0.75, null] }],
            YMax = 1,
            WholeNumbers = false,
        };

        string svg = chart.Render();

        Assert.Single(Whisker().Matches(svg));
        Match whisker = Whisker().Match(svg);
        double yLow = double.Parse(whisker.Groups[1].Value, CultureInfo.InvariantCulture);
        double yHigh = double.Parse(whisker.Groups[2].Value, CultureInfo.InvariantCulture);
        double[] heights = BarHeights(svg);
        Assert.Equal(heights[1] / 2, heights[0], precision: 0);
        Assert.Equal(heights[1] / 2, yLow - yHigh, precision: 0);
        Assert.Contains("whiskers: 95% CI", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_accessible_and_deterministic()
    {
        string svg = Chart([1, 2]).Render();

        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\"", svg, StringComparison.Ordinal);
        Assert.Contains("<title>Answer positions</title><desc>test chart</desc>", svg, StringComparison.Ordinal);
        Assert.Equal(svg, Chart([1, 2]).Render());
    }

    [Fact]
    public void Uses_invariant_numbers_whatever_the_current_culture()
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            string invariant = Chart([1.5, 2.25]).Render();
            // The build runs in invariant-globalization mode, so build a "German-like" culture by hand.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            comma.NumberFormat.NumberGroupSeparator = ".";
            CultureInfo.CurrentCulture = comma;
            Assert.Equal(invariant, Chart([1.5, 2.25]).Render());
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Labels_are_encoded_and_long_ones_shortened_with_the_full_text_kept()
    {
        var chart = new SvgBarChart
        {
            Title = "<script>x</script>",
            Categories = ["<b>bold</b>", Long],
            Series = [new BarSeries("S\"eries", [1, 2])],
        };

        string svg = chart.Render();

        Assert.DoesNotContain("<script", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", svg, StringComparison.Ordinal);
        Assert.Matches("<title>" + Long + "</title>a very long[a-z ]+…</text>", svg);
        Assert.Contains("S&quot;eries", svg, StringComparison.Ordinal);
    }

    private const string Long = "a very long category name indeed, far wider than any bar group could ever hold";

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 3)]
    [InlineData(7, 8)]
    [InlineData(412, 600)]
    [InlineData(1273, 1500)]
    public void Count_axis_tops_are_round_numbers(double max, double expectedTop)
    {
        Assert.Equal(expectedTop, AxisScale.For(max, fixedTop: null, wholeNumbers: true).Top);
    }

    [GeneratedRegex("<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"22.0\" height=\"([0-9.]+)\"")]
    private static partial Regex BarHeight();

    [GeneratedRegex("<path d=\"M[0-9.]+ ([0-9.]+)V([0-9.]+)")]
    private static partial Regex Whisker();
}
