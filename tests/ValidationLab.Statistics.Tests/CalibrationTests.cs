namespace ValidationLab.Statistics.Tests;

public sealed class CalibrationTests
{
    private static readonly System.Text.Json.JsonElement Ref = Reference.Statistics.GetProperty("calibration");
    private static readonly double[] P = Ref.GetProperty("probabilities").Doubles();
    private static readonly bool[] Y = Ref.GetProperty("labels").Bools();

    [Fact]
    public void Brier_Should_Match_Sklearn()
    {
        Assert.Equal(Ref.D("brier"), Calibration.Brier(P, Y), 1e-12);
    }

    [Theory]
    [InlineData(CalibrationBinning.EqualWidth, "equal_width")]
    [InlineData(CalibrationBinning.EqualCount, "equal_count")]
    public void Ece_And_Bins_Should_Match_Numpy_Reference(CalibrationBinning binning, string key)
    {
        // When
        double ece = Calibration.ExpectedCalibrationError(P, Y, 10, binning);
        var bins = Calibration.ReliabilityBins(P, Y, 10, binning);

        // Then
        Assert.Equal(Ref.D("ece_" + key), ece, 1e-12);
        var expected = Ref.GetProperty("bins_" + key);
        for (int b = 0; b < 10; b++)
        {
            Assert.Equal(expected[b][0].GetInt32(), bins[b].Count);
            Assert.Equal(expected[b][1].GetDouble(), bins[b].MeanPredicted, 1e-12);
            Assert.Equal(expected[b][2].GetDouble(), bins[b].ObservedFrequency, 1e-12);
        }
    }

    [Fact]
    public void InterceptAndSlope_Should_Match_Statsmodels_Glm()
    {
        // When
        var fit = Calibration.InterceptAndSlope(P, Y);

        // Then
        var slope = Ref.GetProperty("slope").Doubles();
        var intercept = Ref.GetProperty("intercept").Doubles();
        Assert.Equal(slope[0], fit.Slope.Value, 1e-9);
        Assert.Equal(slope[1], fit.Slope.Low, 1e-9);
        Assert.Equal(slope[2], fit.Slope.High, 1e-9);
        Assert.Equal(Ref.D("slope_intercept"), fit.SlopeModelIntercept, 1e-9);
        Assert.Equal(intercept[0], fit.Intercept.Value, 1e-9);
        Assert.Equal(intercept[1], fit.Intercept.Low, 1e-9);
        Assert.Equal(intercept[2], fit.Intercept.High, 1e-9);
    }

    [Fact]
    public void InterceptAndSlope_Should_Throw_When_One_Class_Or_Separated()
    {
        Assert.Throws<ArgumentException>(() => Calibration.InterceptAndSlope([0.2, 0.7], [true, true]));
        Assert.Throws<ArgumentException>(() => Calibration.InterceptAndSlope([0.1, 0.2, 0.8, 0.9], [false, false, true, true]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.Brier([1.2], [true]));
    }

    [Fact]
    public void Bins_Should_Report_Empty_Bins_Without_NaN()
    {
        var bins = Calibration.ReliabilityBins([0.05, 0.06], [false, true], 10);
        Assert.Equal(2, bins[0].Count);
        Assert.All(bins.Skip(1), b => Assert.Equal((0, 0.0, 0.0), (b.Count, b.MeanPredicted, b.ObservedFrequency)));
    }
}
