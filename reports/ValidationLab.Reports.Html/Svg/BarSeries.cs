namespace ValidationLab.Reports.Html.Svg;

/// <summary>
/// One series of a grouped bar chart: a value per category, in the chart's category order, and optionally an
/// interval per value drawn as a whisker. A null bound (or a missing list) means "no whisker" for that bar.
/// </summary>
/// <param name="Name">Legend text, e.g. "Predicted by the model".</param>
/// <param name="Values">One value per category; non-finite values draw no bar and are labelled "n/a".</param>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values)
{
    /// <summary>Lower interval bound per category, or null for no whiskers.</summary>
    public IReadOnlyList<double?>? Lows { get; init; }

    /// <summary>Upper interval bound per category, or null for no whiskers.</summary>
    public IReadOnlyList<double?>? Highs { get; init; }
}
