namespace ValidationLab.Statistics.Tests;

public sealed class DiscriminationTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, Reference.Statistics.GetProperty("roc_cases").GetArrayLength()));

    private static (double[] S1, double[] S2, bool[] Y, System.Text.Json.JsonElement Py, System.Text.Json.JsonElement R) Load(int i)
    {
        var py = Reference.Statistics.GetProperty("roc_cases")[i];
        var r = Reference.PRoc.GetProperty("cases")[i];
        Assert.Equal(py.GetProperty("name").GetString(), r.GetProperty("name").GetString());
        return (py.GetProperty("scores").Doubles(), py.GetProperty("scores2").Doubles(), py.GetProperty("labels").Bools(), py, r);
    }

    public sealed class Auroc
    {
        [Theory]
        [MemberData(nameof(Cases), MemberType = typeof(DiscriminationTests))]
        public void Should_Match_Sklearn_And_pROC_DeLong(int index)
        {
            // Given
            var (s1, _, y, py, r) = Load(index);

            // When
            var result = Discrimination.Auroc(s1, y);
            var result90 = Discrimination.Auroc(s1, y, 0.90);

            // Then
            Assert.Equal(py.D("sklearn_auc"), result.Auc, 1e-12);
            Assert.Equal(r.D("auc"), result.Auc, 1e-9);
            Assert.Equal(r.D("var"), result.Variance, 1e-9);
            Assert.Equal(r.GetProperty("ci95")[0].GetDouble(), result.Estimate.Low, 1e-9);
            Assert.Equal(r.GetProperty("ci95")[1].GetDouble(), result.Estimate.High, 1e-9);
            Assert.Equal(r.GetProperty("ci90")[0].GetDouble(), result90.Estimate.Low, 1e-9);
            Assert.Equal(r.GetProperty("ci90")[1].GetDouble(), result90.Estimate.High, 1e-9);
            Assert.Equal("DeLong 95% CI", result.Estimate.Method);
        }

        [Fact]
        public void Should_Give_Half_With_Zero_Variance_When_All_Scores_Tied()
        {
            var r = Discrimination.Auroc([0.3, 0.3, 0.3, 0.3], [true, false, true, false]);
            Assert.Equal((0.5, 0.0, 0.5, 0.5), (r.Auc, r.Variance, r.Estimate.Low, r.Estimate.High));
        }

        [Fact]
        public void Should_Throw_When_Only_One_Class()
        {
            Assert.Throws<ArgumentException>(() => Discrimination.Auroc([0.1, 0.2, 0.3], [true, true, true]));
            Assert.Throws<ArgumentException>(() => Discrimination.Auroc([0.1, double.NaN], [true, false]));
        }

        [Fact]
        public void Weighted_Statistic_Should_Equal_Auroc_When_Weights_Are_One()
        {
            var (s1, _, y, _, _) = Load(0);
            int[] ones = Enumerable.Repeat(1, s1.Length).ToArray();
            Assert.Equal(Discrimination.Auroc(s1, y).Auc, WeightedMetrics.Auroc(s1, y)(ones), 1e-12);
        }
    }

    public sealed class PairedDeLong
    {
        [Theory]
        [MemberData(nameof(Cases), MemberType = typeof(DiscriminationTests))]
        public void Should_Match_pROC_RocTest_Paired(int index)
        {
            // Given
            var (s1, s2, y, py, r) = Load(index);

            // When
            var result = Discrimination.PairedDeLong(s1, s2, y);

            // Then
            Assert.Equal(py.D("sklearn_auc2"), result.AucSecond, 1e-12);
            Assert.Equal(r.D("paired_z"), result.Z, 1e-9);
            Assert.Equal(r.D("paired_p"), result.PValue, 1e-9);
            Assert.Equal(r.GetProperty("paired_ci95")[0].GetDouble(), result.Difference.Low, 1e-9);
            Assert.Equal(r.GetProperty("paired_ci95")[1].GetDouble(), result.Difference.High, 1e-9);
        }

        [Fact]
        public void Should_Give_P_One_When_Models_Are_Identical()
        {
            var (s1, _, y, _, _) = Load(0);
            var r = Discrimination.PairedDeLong(s1, s1, y);
            Assert.Equal((0.0, 1.0), (r.Z, r.PValue));
        }
    }

    public sealed class AveragePrecision
    {
        [Theory]
        [MemberData(nameof(Cases), MemberType = typeof(DiscriminationTests))]
        public void Should_Match_Sklearn_Average_Precision_Score(int index)
        {
            var (s1, s2, y, py, _) = Load(index);
            Assert.Equal(py.D("sklearn_ap"), Discrimination.AveragePrecision(s1, y), 1e-12);
            Assert.Equal(py.D("sklearn_ap2"), Discrimination.AveragePrecision(s2, y), 1e-12);
        }

        [Fact]
        public void Should_Throw_When_No_Positives()
        {
            Assert.Throws<ArgumentException>(() => Discrimination.AveragePrecision([0.1, 0.2], [false, false]));
        }
    }

    public sealed class AtThreshold
    {
        [Theory]
        [MemberData(nameof(Cases), MemberType = typeof(DiscriminationTests))]
        public void Should_Match_Confusion_Counts_And_Wilson_Intervals(int index)
        {
            // Given
            var (s1, _, y, py, _) = Load(index);
            var t = py.GetProperty("threshold");

            // When
            var m = Discrimination.AtThreshold(s1, y, t.D("threshold"));

            // Then
            Assert.Equal((t.I("tp"), t.I("fp"), t.I("tn"), t.I("fn")), (m.TruePositives, m.FalsePositives, m.TrueNegatives, m.FalseNegatives));
            Assert.Equal(t.GetProperty("sensitivity")[0].GetDouble(), m.Sensitivity.Low, 1e-9);
            Assert.Equal(t.GetProperty("specificity")[1].GetDouble(), m.Specificity.High, 1e-9);
        }

        [Fact]
        public void Should_Give_Documented_Value_When_No_Predicted_Positives()
        {
            var m = Discrimination.AtThreshold([0.1, 0.2], [true, false], 0.9);
            Assert.Equal((0.0, 0.0, 1.0, 0), (m.PositivePredictiveValue.Value, m.PositivePredictiveValue.Low, m.PositivePredictiveValue.High, m.PositivePredictiveValue.N));
        }
    }
}
