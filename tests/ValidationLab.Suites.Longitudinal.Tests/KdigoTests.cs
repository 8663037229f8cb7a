using ValidationLab.Suites.Longitudinal.Scores;

namespace ValidationLab.Suites.Longitudinal.Tests;

public sealed class KdigoTests
{
    private static readonly DateTime T0 = new(2150, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static List<CreatinineResult> Series(params (double Hours, double Value)[] points) =>
        points.Select(p => new CreatinineResult(T0.AddHours(p.Hours), p.Value)).ToList();

    [Fact]
    public void A_rise_of_0_3_within_48_h_meets_the_criterion_and_0_29_does_not()
    {
        Assert.NotNull(Kdigo.Criterion(Series((0, 1.0), (47, 1.3)), 1));
        Assert.Null(Kdigo.Criterion(Series((0, 1.0), (47, 1.29)), 1));
        // The same rise over more than 48 h is not an absolute rise (and 1.3 < 1.5 × 1.0).
        Assert.Null(Kdigo.Criterion(Series((0, 1.0), (49, 1.3)), 1));
    }

    [Fact]
    public void Half_again_the_lowest_of_the_previous_7_days_meets_the_criterion_and_only_within_7_days()
    {
        Assert.NotNull(Kdigo.Criterion(Series((0, 0.4), (100, 0.6)), 1)); // 1.5 × 0.4, rise only 0.2
        Assert.Null(Kdigo.Criterion(Series((0, 0.4), (100, 0.59)), 1));
        Assert.Null(Kdigo.Criterion(Series((0, 0.4), (24 * 7 + 1, 0.6)), 1));
        Assert.Null(Kdigo.Criterion(Series((0, 1.0)), 0)); // no earlier result, no baseline
    }

    [Theory]
    [InlineData(1.0, 1.0, 0)]
    [InlineData(1.0, 1.5, 1)]
    [InlineData(1.0, 1.99, 1)]
    [InlineData(1.0, 2.0, 2)]
    [InlineData(1.0, 2.99, 2)]
    [InlineData(1.0, 3.0, 3)]
    [InlineData(3.0, 4.0, 3)]
    public void Stage_follows_the_ratio_to_the_7_day_lowest(double baseline, double current, int stage) =>
        Assert.Equal(stage, Kdigo.Stage(Series((0, baseline), (30, current))));
}
