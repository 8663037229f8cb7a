namespace ValidationLab.Statistics.Tests;

public sealed class PairedDifferenceTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, Reference.Statistics.GetProperty("paired_difference").GetArrayLength()));

    private static PairedCounts Counts(System.Text.Json.JsonElement c) => new(c.I("a"), c.I("b"), c.I("c"), c.I("d"));

    public sealed class Newcombe
    {
        [Theory]
        [MemberData(nameof(Cases), MemberType = typeof(PairedDifferenceTests))]
        public void Should_Match_Independent_Python_Implementation_Of_Method_10(int index)
        {
            // Given
            var c = Reference.Statistics.GetProperty("paired_difference")[index];

            // When
            var e95 = PairedDifference.Newcombe(Counts(c), 0.95);
            var e90 = PairedDifference.Newcombe(Counts(c), 0.90);

            // Then
            Assert.Equal(c.GetProperty("newcombe_95")[0].GetDouble(), e95.Low, 1e-9);
            Assert.Equal(c.GetProperty("newcombe_95")[1].GetDouble(), e95.High, 1e-9);
            Assert.Equal(c.GetProperty("newcombe_90")[0].GetDouble(), e90.Low, 1e-9);
            Assert.Equal(c.GetProperty("newcombe_90")[1].GetDouble(), e90.High, 1e-9);
            Assert.Contains("Newcombe", e95.Method);
        }

        [Fact]
        public void Should_Match_Published_Bentur_Example()
        {
            // Given: Fagerland, Lydersen & Laake (2013) airway data, a=1 b=1 c=7 d=12, Newcombe (-0.502, -0.036).
            var counts = new PairedCounts(1, 1, 7, 12);

            // When
            var e = PairedDifference.Newcombe(counts);

            // Then
            Assert.Equal(-0.502, e.Low, 3e-3);
            Assert.Equal(-0.036, e.High, 3e-3);
        }

        [Fact]
        public void Should_Return_Full_Range_When_N_Is_Zero()
        {
            var e = PairedDifference.Newcombe(new PairedCounts(0, 0, 0, 0));
            Assert.Equal((0.0, -1.0, 1.0, 0), (e.Value, e.Low, e.High, e.N));
        }
    }

    public sealed class Tango
    {
        [Theory]
        [MemberData(nameof(Cases), MemberType = typeof(PairedDifferenceTests))]
        public void Should_Match_Numerical_Restricted_MLE_Reference(int index)
        {
            // Given
            var c = Reference.Statistics.GetProperty("paired_difference")[index];
            if (!c.TryGetProperty("tango_95", out var ci))
            {
                return; // no discordant pairs: covered by the edge-case test
            }

            // When
            var e = PairedDifference.Tango(Counts(c));

            // Then
            Assert.Equal(ci[0].GetDouble(), e.Low, 1e-9);
            Assert.Equal(ci[1].GetDouble(), e.High, 1e-9);
            foreach (var pair in c.GetProperty("tango_z").EnumerateArray())
            {
                Assert.Equal(pair[1].GetDouble(), PairedDifference.TangoStatistic(Counts(c), pair[0].GetDouble()), 1e-9);
            }
        }

        [Fact]
        public void Should_Reduce_To_McNemar_Z_When_Delta0_Is_Zero()
        {
            // Given
            var counts = new PairedCounts(40, 17, 6, 37);

            // When
            double z = PairedDifference.TangoStatistic(counts, 0.0);

            // Then
            Assert.Equal((17.0 - 6.0) / Math.Sqrt(23.0), z, 1e-12);
        }

        [Fact]
        public void Should_Match_Published_Bentur_Example()
        {
            var e = PairedDifference.Tango(new PairedCounts(1, 1, 7, 12));
            Assert.Equal(-0.517, e.Low, 1e-3);
            Assert.Equal(-0.026, e.High, 1e-3);
        }
    }
}
