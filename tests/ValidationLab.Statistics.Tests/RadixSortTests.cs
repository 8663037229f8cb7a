namespace ValidationLab.Statistics.Tests;

public sealed class RadixSortTests
{
    [Fact]
    public void Sort_Should_Order_Like_Array_Sort_And_Treat_Signed_Zeros_As_Equal()
    {
        // Given
        var rng = new SeededRandom(5);
        double[] values = Enumerable.Range(0, 5000).Select(i => (rng.NextDouble() - 0.5) * Math.Pow(10, (i % 7) - 3)).Concat([0.0, -0.0, double.MaxValue, double.MinValue, -1e-300]).ToArray();

        // When
        ulong[] keys = RadixSort.Sort(values.Select(RadixSort.Key).ToArray());

        // Then
        double[] expected = values.Order().ToArray();
        Assert.Equal(expected.Select(RadixSort.Key), keys);
        Assert.Equal(RadixSort.Key(0.0), RadixSort.Key(-0.0));
    }
}
