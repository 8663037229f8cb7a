using System.Text.Json;
using ValidationLab.Statistics.EarlyWarning;

namespace ValidationLab.Statistics.Tests;

/// <summary>
/// Early-warning metrics against tests/reference/early_warning_reference.py (scikit-learn, statsmodels, and numpy
/// re-implementations of the threshold metrics written from their definitions), on its seeded clustered dataset.
/// </summary>
public sealed class EarlyWarningTests
{
    private static readonly JsonElement Ref = LoadReference();
    private static readonly EarlyWarningData Data = EarlyWarningData.From(Ref.GetProperty("data"));

    public static TheoryData<string> MetricNames => new(Ref.GetProperty("point").EnumerateObject().Select(p => p.Name));

    [Theory]
    [MemberData(nameof(MetricNames))]
    public void Point_Value_Should_Match_Reference(string metric)
    {
        // Given
        var statistic = Statistic(metric, Ref.D("threshold"));

        // When
        double value = statistic(Ones(Data.Set.Count));

        // Then
        AssertClose(Ref.GetProperty("point").GetProperty(metric), value);
    }

    [Theory]
    [MemberData(nameof(MetricNames))]
    public void Every_Cluster_Resample_Should_Match_The_Reference_Recomputed_With_Frequency_Weights(string metric)
    {
        // Given: patient multiplicities drawn by numpy, expanded to decision points
        var statistic = Statistic(metric, Ref.D("threshold"));
        foreach (var resample in Ref.GetProperty("resamples").EnumerateArray())
        {
            int[] counts = resample.GetProperty("patient_counts").Ints();
            int[] weights = Data.Set.Patients.Select(p => counts[p]).ToArray();

            // When
            double value = statistic(weights);

            // Then
            AssertClose(resample.GetProperty("metrics").GetProperty(metric), value);
        }
    }

    [Fact]
    public void ThresholdForAlertRate_Should_Pick_The_Lowest_Score_Within_The_Target()
    {
        // When
        double threshold = RiskCurves.ThresholdForAlertRate(Data.Set.Scores, Ref.D("target_alert_rate"));

        // Then
        Assert.Equal(Ref.D("threshold_for_target"), threshold);
        foreach (var expected in Ref.GetProperty("at_target").EnumerateObject())
        {
            AssertClose(expected.Value, Statistic(expected.Name, threshold)(Ones(Data.Set.Count)));
        }

        Assert.True(Statistic("alert_rate", threshold)(Ones(Data.Set.Count)) <= Ref.D("target_alert_rate"));
    }

    [Fact]
    public void Roc_Should_Match_Sklearn_Roc_Curve()
    {
        // When
        var roc = RiskCurves.Roc(Data.Set.Scores, Data.Set.Labels);

        // Then
        var expected = Ref.GetProperty("roc");
        double[] fpr = expected.GetProperty("fpr").Doubles(), tpr = expected.GetProperty("tpr").Doubles();
        Assert.Equal(fpr.Length, roc.Count);
        for (int k = 0; k < roc.Count; k++)
        {
            Assert.Equal(fpr[k], roc[k].FalsePositiveRate, 1e-12);
            Assert.Equal(tpr[k], roc[k].TruePositiveRate, 1e-12);
        }

        Assert.True(double.IsPositiveInfinity(roc[0].Threshold));
        Assert.Equal(expected.GetProperty("thresholds")[1].GetDouble(), roc[1].Threshold);
    }

    [Fact]
    public void DecisionCurve_Should_Match_Vickers_Net_Benefit()
    {
        // Given
        var expected = Ref.GetProperty("decision_curve").EnumerateArray().ToArray();
        double[] thresholds = expected.Select(e => e[0].GetDouble()).ToArray();

        // When
        var curve = RiskCurves.DecisionCurve(Data.Set.Scores, Data.Set.Labels, thresholds);

        // Then
        for (int k = 0; k < curve.Count; k++)
        {
            Assert.Equal(expected[k][1].GetDouble(), curve[k].Model, 1e-12);
            Assert.Equal(expected[k][2].GetDouble(), curve[k].TreatAll, 1e-12);
        }
    }

    [Fact]
    public void TimeToDetection_Should_Match_Reference_And_Start_At_Sensitivity()
    {
        // When
        var evaluation = new ThresholdEvaluation(Data.Set, Ref.D("threshold"));
        var curve = evaluation.TimeToDetection();

        // Then
        var expected = Ref.GetProperty("time_to_detection").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, curve.Count);
        for (int k = 0; k < curve.Count; k++)
        {
            Assert.Equal(expected[k][0].GetDouble(), curve[k].HoursBeforeOnset, 1e-12);
            Assert.Equal(expected[k][1].GetDouble(), curve[k].Fraction, 1e-12);
        }

        Assert.Equal(Ref.GetProperty("point").D("sensitivity_units"), curve[0].Fraction, 1e-12);
    }

    [Fact]
    public void Weighted_Statistics_Should_Agree_With_The_Unweighted_Implementations_On_Unit_Weights()
    {
        // Given
        double[] s = Data.Set.Scores;
        bool[] y = Data.Set.Labels;
        int[] ones = Ones(s.Length);

        // When
        var fit = Calibration.InterceptAndSlope(s, y);

        // Then
        Assert.Equal(Discrimination.Auroc(s, y).Auc, WeightedRanking.Auroc(s, y)(ones), 1e-12);
        Assert.Equal(Discrimination.AveragePrecision(s, y), WeightedRanking.AveragePrecision(s, y)(ones), 1e-12);
        Assert.Equal(Calibration.Brier(s, y), WeightedCalibration.Brier(s, y)(ones), 1e-12);
        Assert.Equal(fit.Intercept.Value, WeightedCalibration.Intercept(s, y)(ones), 1e-10);
        Assert.Equal(fit.Slope.Value, WeightedCalibration.Slope(s, y)(ones), 1e-10);
    }

    [Fact]
    public void Patient_Weighting_Should_Count_Each_Patient_Once_Whatever_Its_Length()
    {
        // Given: patient 0 has 3 decision points (one positive scored low), patient 1 and 2 one each
        double[] s = [0.1, 0.2, 0.3, 0.9, 0.5];
        bool[] y = [true, false, false, true, false];
        int[] patients = [0, 0, 0, 1, 2];
        var set = new DecisionPointSet(s, y, patients, patients, [0, 1, 2, 0, 0], [5, 5, 5, 1, double.NaN], [1, 1, 1, 1, 1]);
        double[] pw = set.PatientWeights();

        // When
        double byPatient = WeightedRanking.Auroc(s, y, pw)(Ones(5));

        // Then: positives 0.1 (w 1/3) and 0.9 (w 1); negatives 0.2, 0.3 (w 1/3 each) and 0.5 (w 1)
        double expected = ((1.0 / 3 * 0) + (1.0 * ((1.0 / 3) + (1.0 / 3) + 1.0))) / ((1.0 / 3 + 1.0) * (1.0 / 3 + 1.0 / 3 + 1.0));
        Assert.Equal(expected, byPatient, 1e-12);
        Assert.Equal(1.0 / 3, pw[0], 1e-15);
    }

    [Fact]
    public void DecisionPointSet_Should_Refuse_A_Unit_Shared_By_Two_Patients()
    {
        var e = Assert.Throws<ArgumentException>(() => new DecisionPointSet([0.1, 0.2], [false, true], [0, 1], [7, 7], [0, 1], [double.NaN, 2], [1, 1]));
        Assert.Contains("nested", e.Message);
    }

    [Fact]
    public void A_Unit_With_Onset_Before_Its_First_Decision_Point_Should_Not_Count_As_A_Missed_Positive()
    {
        // Given: unit 0 has its onset (t=1) before its only decision point (t=2); unit 1 is detected at t=0, onset t=10
        var set = new DecisionPointSet([0.1, 0.9], [false, true], [0, 1], [0, 1], [2, 0], [1, 10], [12, 12]);

        // When
        var at = new ThresholdEvaluation(set, 0.5);

        // Then
        Assert.Equal(1, set.UnitsWithOnsetBeforeFirstDecisionPoint);
        Assert.Equal(1, set.PositiveUnitCount);
        Assert.Equal(1.0, at.SensitivityUnits(Ones(2)));
        Assert.Equal(10.0, at.MedianLeadTimeHours(Ones(2)));
    }

    [Fact]
    public void Threshold_Metrics_Should_Be_NaN_When_Undefined()
    {
        // Given: no unit has an onset and nothing alerts
        var set = new DecisionPointSet([0.1, 0.2], [false, false], [0, 1], [0, 1], [0, 0], [double.NaN, double.NaN], [12, 12]);
        var at = new ThresholdEvaluation(set, 0.5);

        // Then
        Assert.True(double.IsNaN(at.SensitivityUnits(Ones(2))));
        Assert.True(double.IsNaN(at.PpvAlerts(Ones(2))));
        Assert.True(double.IsNaN(at.MedianLeadTimeHours(Ones(2))));
        Assert.Equal(0.0, at.AlertsPer100PatientDays(Ones(2)));
        Assert.Empty(at.TimeToDetection());
    }

    [Fact]
    public void Cluster_Bootstrap_Interval_Should_Agree_With_An_Independent_Numpy_Cluster_Bootstrap()
    {
        // Given: numpy drew 4000 patient resamples, we draw 4000 of our own: agreement within Monte-Carlo error
        var options = new BootstrapOptions { Resamples = 4000, Seed = 7 };
        var expected = Ref.GetProperty("intervals").GetProperty("auroc").Doubles();

        // When
        var result = Bootstrap.Cluster(Data.Set.Patients, WeightedRanking.Auroc(Data.Set.Scores, Data.Set.Labels), options);

        // Then
        Assert.Equal(expected[0], result.Estimate.Low, 0.015);
        Assert.Equal(expected[1], result.Estimate.High, 0.015);
    }

    [Theory]
    [InlineData(BootstrapInterval.Percentile)]
    [InlineData(BootstrapInterval.BCa)]
    public void SharedBootstrap_Should_Equal_Separate_Cluster_Bootstraps_Replicate_For_Replicate(BootstrapInterval interval)
    {
        // Given
        var options = new BootstrapOptions { Resamples = 300, Seed = 99, Interval = interval };
        var names = new[] { "auroc", "calibration_slope", "lead_time_median_hours", "ppv_units" };
        var statistics = names.Select(n => Statistic(n, Ref.D("threshold"))).ToArray();

        // When
        var shared = SharedBootstrap.Cluster(Data.Set.Patients, statistics, options);

        // Then
        for (int k = 0; k < names.Length; k++)
        {
            var separate = Bootstrap.Cluster(Data.Set.Patients, statistics[k], options);
            Assert.Equal(separate.Estimate, shared[k].Result!.Estimate);
            Assert.Equal(separate.StandardError, shared[k].Result!.StandardError);
            Assert.Equal(separate.InvalidResamples, shared[k].Result!.InvalidResamples);
        }
    }

    [Fact]
    public void SharedBootstrap_Should_Report_An_Undefined_Statistic_Instead_Of_Throwing()
    {
        var outcomes = SharedBootstrap.Cluster([0, 1, 2], [_ => double.NaN, WeightedMetrics.Mean([1.0, 2.0, 3.0])], new BootstrapOptions { Resamples = 50 });
        Assert.True(double.IsNaN(outcomes[0].Point));
        Assert.NotNull(outcomes[0].Problem);
        Assert.Equal(2.0, outcomes[1].Point);
        Assert.NotNull(outcomes[1].Result);
    }

    internal static WeightedStatistic Statistic(string metric, double threshold)
    {
        var s = Data.Set;
        var at = new ThresholdEvaluation(s, threshold);
        return metric switch
        {
            "auroc" => WeightedRanking.Auroc(s.Scores, s.Labels),
            "auroc_patient_weighted" => WeightedRanking.Auroc(s.Scores, s.Labels, s.PatientWeights()),
            "auprc" => WeightedRanking.AveragePrecision(s.Scores, s.Labels),
            "auprc_patient_weighted" => WeightedRanking.AveragePrecision(s.Scores, s.Labels, s.PatientWeights()),
            "brier" => WeightedCalibration.Brier(s.Scores, s.Labels),
            "calibration_intercept" => WeightedCalibration.Intercept(s.Scores, s.Labels),
            "calibration_slope" => WeightedCalibration.Slope(s.Scores, s.Labels),
            "alert_rate" => at.AlertRate,
            "sensitivity_units" => at.SensitivityUnits,
            "ppv_alerts" => at.PpvAlerts,
            "ppv_units" => at.PpvUnits,
            "alerts_per_100_patient_days" => at.AlertsPer100PatientDays,
            "number_needed_to_evaluate" => at.NumberNeededToEvaluate,
            "lead_time_median_hours" => at.MedianLeadTimeHours,
            "net_benefit" => at.NetBenefit,
            "net_benefit_treat_all" => at.NetBenefitTreatAll,
            _ => throw new ArgumentException("unknown metric " + metric),
        };
    }

    private static void AssertClose(JsonElement expected, double actual)
    {
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.True(double.IsNaN(actual), $"expected undefined (NaN), got {actual}");
            return;
        }

        Assert.Equal(expected.GetDouble(), actual, 1e-9);
    }

    private static int[] Ones(int n) => Enumerable.Repeat(1, n).ToArray();

    private static JsonElement LoadReference()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "reference", "early_warning_reference.json");
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    private sealed record EarlyWarningData(DecisionPointSet Set)
    {
        public static EarlyWarningData From(JsonElement d) => new(new DecisionPointSet(
            d.GetProperty("score").Doubles(),
            d.GetProperty("label").Bools(),
            d.GetProperty("patient").Ints(),
            d.GetProperty("unit").Ints(),
            d.GetProperty("time_hours").Doubles(),
            d.GetProperty("onset_hours").EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? double.NaN : x.GetDouble()).ToArray(),
            d.GetProperty("exposure_hours").Doubles()));
    }
}
