namespace ValidationLab.Statistics.Tests;

public sealed class GroupTestsTests
{
    private static readonly System.Text.Json.JsonElement Ref = Reference.Statistics.GetProperty("groups");

    [Fact]
    public void TwoProportionZ_Should_Match_Statsmodels()
    {
        var z = Ref.GetProperty("ztest");
        var r = GroupTests.TwoProportionZ(z.I("x1"), z.I("n1"), z.I("x2"), z.I("n2"));
        Assert.Equal(z.D("z"), r.Statistic, 1e-12);
        McNemarTests.AssertRelative(z.D("p"), r.PValue);
        Assert.Equal(1.0, GroupTests.TwoProportionZ(0, 10, 0, 12).PValue);
    }

    [Fact]
    public void FisherExact_Should_Match_Scipy()
    {
        foreach (var c in Ref.GetProperty("fisher").EnumerateArray())
        {
            // Given
            var t = c.GetProperty("table");

            // When
            var r = GroupTests.FisherExact(t[0][0].GetInt32(), t[0][1].GetInt32(), t[1][0].GetInt32(), t[1][1].GetInt32());

            // Then
            McNemarTests.AssertRelative(c.D("p"), r.PValue);
            if (c.GetProperty("odds_ratio").ValueKind == System.Text.Json.JsonValueKind.Number)
            {
                Assert.Equal(c.D("odds_ratio"), r.Statistic, 1e-12);
            }
            else
            {
                Assert.True(double.IsPositiveInfinity(r.Statistic));
            }
        }
    }

    [Fact]
    public void ChiSquareIndependence_Should_Match_Scipy_Chi2_Contingency()
    {
        foreach (var c in Ref.GetProperty("chi2").EnumerateArray())
        {
            var rows = c.GetProperty("table").EnumerateArray().Select(r => r.Ints()).ToArray();
            int[,] table = new int[rows.Length, rows[0].Length];
            for (int i = 0; i < rows.Length; i++)
            {
                for (int j = 0; j < rows[0].Length; j++)
                {
                    table[i, j] = rows[i][j];
                }
            }

            var r = GroupTests.ChiSquareIndependence(table, c.GetProperty("correction").GetBoolean());
            Assert.Equal(c.D("statistic"), r.Statistic, 1e-9);
            McNemarTests.AssertRelative(c.D("p"), r.PValue);
            Assert.Equal(c.I("dof"), r.DegreesOfFreedom);
        }
    }

    [Fact]
    public void ChiSquareIndependence_Should_Throw_When_A_Row_Is_Empty()
    {
        Assert.Throws<ArgumentException>(() => GroupTests.ChiSquareIndependence(new[,] { { 0, 0 }, { 3, 4 } }));
    }

    [Fact]
    public void Holm_And_BenjaminiHochberg_Should_Match_Statsmodels_Multipletests()
    {
        double[] p = Ref.GetProperty("pvalues").Doubles();
        double[] holm = Ref.GetProperty("holm").Doubles();
        double[] bh = Ref.GetProperty("bh").Doubles();
        var h = MultipleComparisons.Holm(p);
        var q = MultipleComparisons.BenjaminiHochberg(p);
        for (int i = 0; i < p.Length; i++)
        {
            Assert.Equal(holm[i], h[i], 1e-12);
            Assert.Equal(bh[i], q[i], 1e-12);
        }

        Assert.Empty(MultipleComparisons.Holm([]));
    }
}
