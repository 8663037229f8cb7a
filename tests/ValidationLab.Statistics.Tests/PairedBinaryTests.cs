namespace ValidationLab.Statistics.Tests;

public sealed class PairedBinaryTests
{
    [Fact]
    public void Compare_Should_Count_Cells_And_Combine_Methods_When_Given_Two_Outcome_Vectors()
    {
        // Given: a=3 (both right), b=2, c=1, d=1
        bool[] first = [true, true, true, true, true, false, false];
        bool[] second = [true, true, true, false, false, true, false];

        // When
        var r = PairedBinary.Compare(first, second);

        // Then
        Assert.Equal(7, r.N);
        Assert.Equal((2, 1), (r.B, r.C));
        Assert.Equal(5.0 / 7, r.AccuracyFirst.Value, 1e-15);
        Assert.Equal(4.0 / 7, r.AccuracySecond.Value, 1e-15);
        Assert.Equal(1.0 / 7, r.Difference.Value, 1e-15);
        Assert.Equal(PairedDifference.Newcombe(new PairedCounts(3, 2, 1, 1)), r.Difference);
        Assert.Equal(McNemar.Exact(2, 1).PValue, r.McNemarExactP);
        Assert.Equal(McNemar.MidP(2, 1).PValue, r.McNemarMidP);
        Assert.Equal(Proportions.Wilson(5, 7), r.AccuracyFirst);
    }

    [Fact]
    public void Compare_Should_Return_No_NaN_When_Input_Is_Empty_Or_All_Correct()
    {
        var empty = PairedBinary.Compare([], []);
        var allCorrect = PairedBinary.Compare([true, true], [true, true]);
        foreach (var r in new[] { empty, allCorrect })
        {
            double[] numbers = [r.AccuracyFirst.Low, r.AccuracyFirst.High, r.Difference.Low, r.Difference.High, r.McNemarExactP, r.McNemarMidP];
            Assert.DoesNotContain(numbers, double.IsNaN);
        }

        Assert.Equal(1.0, allCorrect.McNemarExactP);
    }

    [Fact]
    public void Compare_Should_Throw_When_Lengths_Differ()
    {
        Assert.Throws<ArgumentException>(() => PairedBinary.Compare([true], [true, false]));
    }
}
