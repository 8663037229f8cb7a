namespace ValidationLab.Statistics.Tests;

public sealed class SampleSizeTests
{
    [Fact]
    public void RequiredN_Should_Match_Connor_Formula_Reference()
    {
        foreach (var c in Reference.Statistics.GetProperty("planning").EnumerateArray())
        {
            var plan = SampleSize.PairedAccuracyRequiredN(c.D("psi"), c.D("delta"), c.D("alpha"), c.D("power"));
            Assert.Equal(c.I("n"), plan.N);
            Assert.Equal(c.D("n_exact"), SampleSize.ContinuousN(c.D("psi"), c.D("delta"), c.D("alpha"), c.D("power")), 1e-6);
        }
    }

    [Fact]
    public void MinimumDetectableDifference_Should_Invert_RequiredN()
    {
        // Given
        var plan = SampleSize.PairedAccuracyRequiredN(0.2, 0.05);

        // When
        var mdd = SampleSize.PairedAccuracyMinimumDetectableDifference(plan.N, 0.2);

        // Then: the MDD at the rounded-up n is just at or below 0.05
        Assert.InRange(mdd.Difference, 0.0499, 0.05);
        Assert.Equal("McNemar, Connor (1987)", mdd.Method);
    }

    [Fact]
    public void Should_Throw_When_Inputs_Are_Impossible()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleSize.PairedAccuracyRequiredN(0.1, 0.2));
        Assert.Throws<ArgumentException>(() => SampleSize.PairedAccuracyMinimumDetectableDifference(3, 0.1));
    }
}
