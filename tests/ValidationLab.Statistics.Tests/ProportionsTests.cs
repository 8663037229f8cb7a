namespace ValidationLab.Statistics.Tests;

public sealed class ProportionsTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, Reference.Statistics.GetProperty("proportions").GetArrayLength()));

    public sealed class Wilson
    {
        [Theory]
        [MemberData(nameof(Cases), MemberType = typeof(ProportionsTests))]
        public void Should_Match_Statsmodels_When_Given_Reference_Case(int index)
        {
            // Given
            var c = Reference.Statistics.GetProperty("proportions")[index];

            // When
            var e = Proportions.Wilson(c.I("successes"), c.I("n"), c.D("level"));

            // Then
            Assert.Equal(c.D("wilson_low"), e.Low, 1e-9);
            Assert.Equal(c.D("wilson_high"), e.High, 1e-9);
            Assert.Equal((double)c.I("successes") / c.I("n"), e.Value, 1e-15);
            Assert.StartsWith("Wilson", e.Method);
        }

        [Fact]
        public void Should_Return_Documented_Value_When_N_Is_Zero()
        {
            // Given / When
            var e = Proportions.Wilson(0, 0);

            // Then
            Assert.Equal(new Estimate(0, 0, 1, 0, "Wilson 95% CI"), e);
        }

        [Fact]
        public void Should_Throw_When_Successes_Exceed_N()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Proportions.Wilson(5, 4));
            Assert.Throws<ArgumentOutOfRangeException>(() => Proportions.Wilson(1, 4, level: 1.0));
        }
    }

    public sealed class ClopperPearson
    {
        [Theory]
        [MemberData(nameof(Cases), MemberType = typeof(ProportionsTests))]
        public void Should_Match_Statsmodels_Beta_When_Given_Reference_Case(int index)
        {
            // Given
            var c = Reference.Statistics.GetProperty("proportions")[index];

            // When
            var e = Proportions.ClopperPearson(c.I("successes"), c.I("n"), c.D("level"));

            // Then
            Assert.Equal(c.D("cp_low"), e.Low, 1e-9);
            Assert.Equal(c.D("cp_high"), e.High, 1e-9);
            Assert.Equal("Clopper-Pearson " + (c.D("level") * 100) + "% CI", e.Method);
        }

        [Fact]
        public void Should_Return_Documented_Value_When_N_Is_Zero()
        {
            var e = Proportions.ClopperPearson(0, 0);
            Assert.Equal((0.0, 0.0, 1.0, 0), (e.Value, e.Low, e.High, e.N));
        }
    }
}
