namespace ValidationLab.Statistics.Tests;

public sealed class AgreementTests
{
    private static readonly System.Text.Json.JsonElement Ref = Reference.Statistics.GetProperty("agreement");

    [Theory]
    [InlineData(KappaWeighting.None, "none")]
    [InlineData(KappaWeighting.Linear, "linear")]
    [InlineData(KappaWeighting.Quadratic, "quadratic")]
    public void CohenKappa_Should_Match_Statsmodels_And_Sklearn(KappaWeighting weighting, string key)
    {
        // Given
        int[] r1 = Ref.GetProperty("rater1").Ints();
        int[] r2 = Ref.GetProperty("rater2").Ints();
        var expected = Ref.GetProperty(key);

        // When
        var k = Agreement.CohenKappa(r1, r2, weighting);

        // Then
        Assert.Equal(expected.D("kappa"), k.Kappa.Value, 1e-12);
        Assert.Equal(expected.D("sklearn"), k.Kappa.Value, 1e-12);
        Assert.Equal(expected.D("se"), k.StandardError, 1e-12);
        Assert.Equal(expected.D("low"), k.Kappa.Low, 1e-9);
        Assert.Equal(expected.D("high"), k.Kappa.High, 1e-9);
        Assert.Contains("Fleiss-Cohen-Everitt", k.Kappa.Method);
    }

    [Fact]
    public void CohenKappa_Should_Throw_When_Only_One_Category_Is_Used()
    {
        Assert.Throws<ArgumentException>(() => Agreement.CohenKappa([1, 1, 1], [1, 1, 1]));
        Assert.Throws<ArgumentException>(() => Agreement.CohenKappa(new int[2, 2]));
    }

    [Fact]
    public void FleissKappa_Should_Match_Statsmodels()
    {
        // Given
        var rows = Ref.GetProperty("fleiss_table").EnumerateArray().Select(r => r.Ints()).ToArray();
        int[,] table = new int[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < rows[0].Length; j++)
            {
                table[i, j] = rows[i][j];
            }
        }

        // When / Then
        Assert.Equal(Ref.D("fleiss_kappa"), Agreement.FleissKappa(table), 1e-12);
    }

    [Fact]
    public void FleissKappa_Should_Throw_When_Rater_Counts_Differ()
    {
        Assert.Throws<ArgumentException>(() => Agreement.FleissKappa(new[,] { { 2, 1 }, { 1, 1 } }));
        Assert.Throws<ArgumentException>(() => Agreement.FleissKappa(new[,] { { 3, 0 }, { 3, 0 } }));
    }
}
