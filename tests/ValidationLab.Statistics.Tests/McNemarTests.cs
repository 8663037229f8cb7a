namespace ValidationLab.Statistics.Tests;

public sealed class McNemarTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, Reference.Statistics.GetProperty("mcnemar").GetArrayLength()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exact_Should_Match_Statsmodels(int index)
    {
        // Given
        var c = Reference.Statistics.GetProperty("mcnemar")[index];

        // When
        var r = McNemar.Exact(c.I("b"), c.I("c"));

        // Then
        Assert.Equal(c.D("exact_statistic"), r.Statistic, 1e-12);
        AssertRelative(c.D("exact_p"), r.PValue);
        Assert.Equal("McNemar exact", r.Method);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MidP_Should_Match_Scipy_Binomial(int index)
    {
        var c = Reference.Statistics.GetProperty("mcnemar")[index];
        var r = McNemar.MidP(c.I("b"), c.I("c"));
        AssertRelative(c.D("midp"), r.PValue);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ChiSquare_Should_Match_Statsmodels_With_And_Without_Correction(int index)
    {
        // Given
        var c = Reference.Statistics.GetProperty("mcnemar")[index];

        // When
        var corrected = McNemar.ChiSquare(c.I("b"), c.I("c"), correction: true);
        var plain = McNemar.ChiSquare(c.I("b"), c.I("c"), correction: false);

        // Then
        Assert.Equal(c.D("cc_statistic"), corrected.Statistic, 1e-9);
        AssertRelative(c.D("cc_p"), corrected.PValue);
        Assert.Equal(c.D("chi2_statistic"), plain.Statistic, 1e-9);
        AssertRelative(c.D("chi2_p"), plain.PValue);
    }

    [Fact]
    public void Should_Give_P_One_Not_NaN_When_No_Discordant_Pairs()
    {
        Assert.Equal(1.0, McNemar.Exact(0, 0).PValue);
        Assert.Equal(1.0, McNemar.MidP(0, 0).PValue);
        Assert.Equal(1.0, McNemar.ChiSquare(0, 0).PValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => McNemar.Exact(-1, 0));
    }

    [RealDataFact("medqa/predictions/medqa_test_zero_shot_predictions_long.csv")]
    public void Should_Match_Statsmodels_On_MedQA_Gpt4o_Versus_Gpt4oMini()
    {
        // Given
        var medqa = Reference.Statistics.GetProperty("medqa");
        string path = Path.GetFullPath(Path.Combine(Reference.RepoRoot()!, medqa.GetProperty("path").GetString()!));

        var byModel = new Dictionary<string, Dictionary<int, bool>>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] f = line.Split(',');
            string model = f[1];
            if (!byModel.TryGetValue(model, out var items))
            {
                byModel[model] = items = [];
            }

            items[int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture)] = f[^1].Trim() == "1";
        }

        int[] ids = byModel["gpt-4o"].Keys.Order().ToArray();
        bool[] first = ids.Select(i => byModel["gpt-4o"][i]).ToArray();
        bool[] second = ids.Select(i => byModel["gpt-4o-mini"][i]).ToArray();

        // When
        var comparison = PairedBinary.Compare(first, second);
        var exact = McNemar.Exact(comparison.B, comparison.C);
        var chi = McNemar.ChiSquare(comparison.B, comparison.C, correction: true);

        // Then
        var table = medqa.GetProperty("table");
        Assert.Equal(table[0][1].GetInt32(), comparison.B);
        Assert.Equal(table[1][0].GetInt32(), comparison.C);
        Assert.Equal(medqa.D("exact_statistic"), exact.Statistic);
        AssertRelative(medqa.D("exact_p"), exact.PValue);
        Assert.Equal(medqa.D("chi2_statistic"), chi.Statistic, 1e-9);
        AssertRelative(medqa.D("chi2_p"), chi.PValue);
        Assert.Equal(medqa.D("accuracy_first"), comparison.AccuracyFirst.Value, 1e-12);
        Assert.Equal(medqa.D("accuracy_second"), comparison.AccuracySecond.Value, 1e-12);
    }

    /// <summary>p-values span many orders of magnitude: compare with 1e-9 relative (and 1e-12 absolute) tolerance.</summary>
    internal static void AssertRelative(double expected, double actual, double relative = 1e-9)
    {
        double tolerance = Math.Max(1e-12, Math.Abs(expected) * relative);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, actual {actual:R}");
    }
}
