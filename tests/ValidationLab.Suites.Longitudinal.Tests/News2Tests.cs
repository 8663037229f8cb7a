using ValidationLab.Suites.Longitudinal.Scores;

namespace ValidationLab.Suites.Longitudinal.Tests;

/// <summary>NEWS2 chart 1 (RCP 2017) band by band, at both sides of every boundary; qSOFA at its cut-offs.</summary>
public sealed class News2Tests
{
    [Theory]
    [InlineData(0, 3)]
    [InlineData(8, 3)]
    [InlineData(9, 1)]
    [InlineData(11, 1)]
    [InlineData(12, 0)]
    [InlineData(20, 0)]
    [InlineData(21, 2)]
    [InlineData(24, 2)]
    [InlineData(25, 3)]
    [InlineData(60, 3)]
    [InlineData(8.4, 3)]
    [InlineData(8.5, 1)]
    [InlineData(20.4, 0)]
    [InlineData(20.5, 2)]
    public void Respiration(double rate, int points) => Assert.Equal(points, News2.Respiration(rate));

    [Theory]
    [InlineData(70, 3)]
    [InlineData(91, 3)]
    [InlineData(92, 2)]
    [InlineData(93, 2)]
    [InlineData(94, 1)]
    [InlineData(95, 1)]
    [InlineData(96, 0)]
    [InlineData(100, 0)]
    public void SpO2Scale1(double spo2, int points) => Assert.Equal(points, News2.SpO2Scale1(spo2));

    [Theory]
    [InlineData(83, false, 3)]
    [InlineData(84, false, 2)]
    [InlineData(85, true, 2)]
    [InlineData(86, false, 1)]
    [InlineData(87, true, 1)]
    [InlineData(88, false, 0)]
    [InlineData(92, true, 0)]
    [InlineData(93, false, 0)]
    [InlineData(100, false, 0)]
    [InlineData(93, true, 1)]
    [InlineData(94, true, 1)]
    [InlineData(95, true, 2)]
    [InlineData(96, true, 2)]
    [InlineData(97, true, 3)]
    [InlineData(100, true, 3)]
    public void SpO2Scale2(double spo2, bool onOxygen, int points) => Assert.Equal(points, News2.SpO2Scale2(spo2, onOxygen));

    [Theory]
    [InlineData(60, 3)]
    [InlineData(90, 3)]
    [InlineData(91, 2)]
    [InlineData(100, 2)]
    [InlineData(101, 1)]
    [InlineData(110, 1)]
    [InlineData(111, 0)]
    [InlineData(219, 0)]
    [InlineData(220, 3)]
    [InlineData(260, 3)]
    public void SystolicBp(double sbp, int points) => Assert.Equal(points, News2.SystolicBp(sbp));

    [Theory]
    [InlineData(30, 3)]
    [InlineData(40, 3)]
    [InlineData(41, 1)]
    [InlineData(50, 1)]
    [InlineData(51, 0)]
    [InlineData(90, 0)]
    [InlineData(91, 1)]
    [InlineData(110, 1)]
    [InlineData(111, 2)]
    [InlineData(130, 2)]
    [InlineData(131, 3)]
    [InlineData(180, 3)]
    public void Pulse(double pulse, int points) => Assert.Equal(points, News2.Pulse(pulse));

    [Theory]
    [InlineData(34.0, 3)]
    [InlineData(35.0, 3)]
    [InlineData(35.1, 1)]
    [InlineData(36.0, 1)]
    [InlineData(36.1, 0)]
    [InlineData(38.0, 0)]
    [InlineData(38.1, 1)]
    [InlineData(39.0, 1)]
    [InlineData(39.1, 2)]
    [InlineData(41.0, 2)]
    [InlineData(35.04, 3)]
    [InlineData(35.05, 1)]
    public void Temperature(double celsius, int points) => Assert.Equal(points, News2.Temperature(celsius));

    [Fact]
    public void Total_adds_every_parameter_with_two_points_for_oxygen_and_three_for_any_new_confusion()
    {
        var normal = new News2Input(16, 97, false, 120, 70, Acvpu.Alert, 37.0);
        Assert.Equal(0, News2.Score(normal).Total);
        Assert.Equal("low", News2.Score(normal).Risk);
        var worst = new News2Input(26, 90, true, 85, 135, Acvpu.NewConfusion, 34.5);
        var s = News2.Score(worst);
        Assert.Equal((3, 3, 2, 3, 3, 3, 3), (s.Respiration, s.SpO2, s.AirOrOxygen, s.SystolicBp, s.Pulse, s.Consciousness, s.Temperature));
        Assert.Equal(20, s.Total);
        Assert.Equal("high", s.Risk);
        Assert.Equal("low-medium", News2.Score(normal with { Consciousness = Acvpu.Voice }).Risk); // a single red score
        Assert.Equal("medium", News2.Score(normal with { RespirationRate = 22, OnOxygen = true, SpO2 = 95 }).Risk); // 2 + 2 + 1
        // Scale 2 changes only the SpO2 points: 97% on oxygen is 3 on scale 2, 0 on scale 1.
        Assert.Equal(News2.Score(normal with { OnOxygen = true }).Total + 3, News2.Score(normal with { OnOxygen = true, Scale2 = true }).Total);
    }

    [Theory]
    [InlineData(21, 101, false, 0)]
    [InlineData(22, 101, false, 1)]
    [InlineData(21, 100, false, 1)]
    [InlineData(21, 101, true, 1)]
    [InlineData(30, 80, true, 3)]
    public void Qsofa_scores_one_point_per_criterion(double rr, double sbp, bool altered, int points) =>
        Assert.Equal(points, Qsofa.Score(rr, sbp, altered));
}
