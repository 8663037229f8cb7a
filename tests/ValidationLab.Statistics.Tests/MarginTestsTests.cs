namespace ValidationLab.Statistics.Tests;

public sealed class MarginTestsTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, Reference.Statistics.GetProperty("margin_tests").GetArrayLength()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void NonInferiority_Should_Match_Numerical_Tango_Reference(int index)
    {
        // Given
        var c = Reference.Statistics.GetProperty("margin_tests")[index];
        var counts = new PairedCounts(c.I("a"), c.I("b"), c.I("c"), c.I("d"));

        // When
        var r = MarginTests.NonInferiority(counts, c.D("margin"), c.D("alpha"));

        // Then
        Assert.Equal(c.D("ni_z"), r.Statistic, 1e-9);
        McNemarTests.AssertRelative(c.D("ni_p"), r.PValue, 1e-8);
        Assert.Equal(c.D("bound"), r.Bound, 1e-9);
        Assert.Equal(r.PValue < c.D("alpha"), r.Rejected);
        Assert.Equal(r.Rejected, r.Bound > -c.D("margin"));
        Assert.Equal("non-inferiority", r.Hypothesis);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Superiority_Should_Match_Numerical_Tango_Reference(int index)
    {
        var c = Reference.Statistics.GetProperty("margin_tests")[index];
        var counts = new PairedCounts(c.I("a"), c.I("b"), c.I("c"), c.I("d"));
        var r = MarginTests.Superiority(counts, c.D("margin"), c.D("alpha"));
        Assert.Equal(c.D("sup_z"), r.Statistic, 1e-9);
        McNemarTests.AssertRelative(c.D("sup_p"), r.PValue, 1e-8);
        Assert.Equal(r.Rejected, r.Bound > c.D("margin"));
    }

    [Fact]
    public void NonInferiority_Should_Throw_When_No_Items()
    {
        Assert.Throws<ArgumentException>(() => MarginTests.NonInferiority([], [], 0.02));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarginTests.NonInferiority([true], [true], -0.1));
    }
}
