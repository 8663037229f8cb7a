using System.Text.Json;
using ValidationLab.Results;
using ValidationLab.Suites.Longitudinal.Scoring;

namespace ValidationLab.Suites.Longitudinal.Tests.Scoring;

public sealed class RiskAggregatorTests
{
    private static readonly JsonElement Ref = RiskReferenceData.Reference;
    private static readonly IReadOnlyList<RiskObservation> Rows = RiskReferenceData.Observations();
    private static readonly SuiteCounts Counts = new(Rows.Count, Rows.Count, 0, 0);
    private static readonly RiskAggregationOptions AtThreshold = new() { Threshold = Ref.D("threshold"), BootstrapResamples = 2000, Seed = 11 };
    private static readonly Lazy<SuiteResult> Result = new(() => RiskAggregator.Aggregate("risk", "replay", Counts, Rows, AtThreshold));

    public static TheoryData<string> MetricNames => new(Ref.GetProperty("point").EnumerateObject().Select(p => p.Name));

    [Theory]
    [MemberData(nameof(MetricNames))]
    public void Point_Value_Should_Match_Sklearn_Statsmodels_Numpy_Reference(string metric)
    {
        Assert.Equal(Ref.GetProperty("point").D(metric), Result.Value.Metrics[metric].Value!.Value, 1e-9);
    }

    [Theory]
    [MemberData(nameof(MetricNames))]
    public void Interval_Should_Agree_With_An_Independent_Numpy_Patient_Bootstrap(string metric)
    {
        // Given: numpy's 95% percentile interval from 4000 patient resamples; ours from 2000 of our own.
        double[] expected = Ref.GetProperty("intervals").GetProperty(metric).EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var value = Result.Value.Metrics[metric];

        // Then: agreement within Monte-Carlo error (a tenth of the interval width is several standard errors of
        // each bound at these resample counts), and the interval is the patient-level one.
        double tolerance = 0.1 * (expected[1] - expected[0]);
        Assert.Equal(expected[0], value.CiLow!.Value, tolerance);
        Assert.Equal(expected[1], value.CiHigh!.Value, tolerance);
        Assert.StartsWith("Patient cluster percentile bootstrap 95% CI (2000 resamples, seed 11)", value.Method);
        Assert.Equal(Ref.GetProperty("counts").GetProperty("patients").GetInt32(), value.Clusters);
    }

    [Fact]
    public void Metrics_Should_Carry_Their_Kind_And_The_N_They_Rest_On()
    {
        var m = Result.Value.Metrics;
        var counts = Ref.GetProperty("counts");
        Assert.Equal(MetricKind.Auroc, m["auroc"].Kind);
        Assert.Equal(MetricKind.Auroc, m["auroc_patient_weighted"].Kind);
        Assert.Equal(MetricKind.Auprc, m["auprc"].Kind);
        Assert.Equal(MetricKind.Calibration, m["calibration_slope"].Kind);
        Assert.Equal(MetricKind.Score, m["brier"].Kind);
        Assert.Equal(MetricKind.Rate, m["alerts_per_100_patient_days"].Kind);
        Assert.Equal(MetricKind.Hours, m["lead_time_median_hours"].Kind);
        Assert.Equal(MetricKind.Proportion, m["sensitivity_units"].Kind);
        Assert.Equal(MetricKind.Count, m["patients"].Kind);
        Assert.Equal(counts.GetProperty("decision_points").GetInt32(), m["auroc"].N);
        Assert.Equal(counts.GetProperty("positive_units").GetInt32(), m["sensitivity_units"].N);
        Assert.Equal(counts.GetProperty("patients").GetInt32(), (int)m["patients"].Value!.Value);
        Assert.Equal(counts.GetProperty("units").GetInt32(), (int)m["units"].Value!.Value);
        Assert.Equal(counts.GetProperty("positive_decision_points").GetInt32(), (int)m["positive_decision_points"].Value!.Value);
        Assert.Equal((int)m["alerts"].Value!.Value, m["ppv_alerts"].N);
        Assert.Equal((int)m["detected_units"].Value!.Value, m["lead_time_median_hours"].N);
    }

    [Fact]
    public void Curves_Should_Include_Roc_Reliability_Detection_And_Decision_Curves()
    {
        // Given
        var curves = Result.Value.Curves;
        var roc = Ref.GetProperty("roc");

        // Then
        Assert.Equal(roc.GetProperty("fpr").GetArrayLength(), curves["roc"].Points.Count);
        Assert.Equal(roc.GetProperty("tpr")[5].GetDouble(), curves["roc"].Points[5].Y, 1e-12);
        var bins = Ref.GetProperty("reliability_bins").EnumerateArray().Where(b => b[0].GetInt32() > 0).ToArray();
        Assert.Equal(bins.Select(b => b[2].GetDouble()), curves["reliability"].Points.Select(p => p.Y));
        var detection = Ref.GetProperty("time_to_detection").EnumerateArray().ToArray();
        Assert.Equal(detection.Select(p => p[1].GetDouble()), curves["time_to_detection"].Points.Select(p => p.Y));
        var decision = Ref.GetProperty("decision_curve").EnumerateArray().ToArray();
        Assert.Equal(99, curves["decision_curve"].Points.Count);
        Assert.Equal(decision[29][1].GetDouble(), curves["decision_curve"].Points[29].Y, 1e-12);
        Assert.Equal(decision[29][2].GetDouble(), curves["decision_curve_treat_all"].Points[29].Y, 1e-12);
        Assert.All(curves["decision_curve_treat_none"].Points, p => Assert.Equal(0.0, p.Y));
    }

    [Fact]
    public void Errored_And_Unparseable_Items_Should_Be_Excluded_And_Noted_Never_Scored()
    {
        // Given: the reference rows plus failures carrying scores and labels that would change every metric
        var failures = new[]
        {
            Rows[0] with { ItemId = "bad1", Status = ItemStatus.Errored, Score = 0.99, Label = false },
            Rows[1] with { ItemId = "bad2", Status = ItemStatus.Unparseable, Score = null, Label = true },
        };
        var options = AtThreshold with { BootstrapResamples = 0 };

        // When
        var with = RiskAggregator.Aggregate("risk", "replay", Counts with { Items = Rows.Count + 2, Errored = 1, Unparseable = 1 }, [.. Rows, .. failures], options);

        // Then
        Assert.Equal(Ref.GetProperty("point").D("auroc"), with.Metrics["auroc"].Value!.Value, 1e-12);
        Assert.Equal(Ref.GetProperty("point").D("alert_rate"), with.Metrics["alert_rate"].Value!.Value, 1e-12);
        Assert.Equal(Rows.Count, (int)with.Metrics["decision_points"].Value!.Value);
        Assert.Contains(with.Notes, n => n.StartsWith("2 decision point(s) errored or unparseable", StringComparison.Ordinal));
        Assert.Equal(1, with.Counts.Errored);
    }

    [Fact]
    public void Result_Should_Not_Depend_On_Observation_Order()
    {
        // Given
        var options = AtThreshold with { BootstrapResamples = 200 };
        var shuffled = Rows.OrderBy(r => r.ItemId.GetHashCode(StringComparison.Ordinal)).ToList();

        // When
        var a = RiskAggregator.Aggregate("risk", "replay", Counts, Rows, options);
        var b = RiskAggregator.Aggregate("risk", "replay", Counts, shuffled, options);

        // Then: points equal; intervals equal too since patients are numbered by id, not by first appearance
        Assert.NotEqual(Rows.Select(r => r.ItemId), shuffled.Select(r => r.ItemId));
        foreach (var (name, value) in a.Metrics)
        {
            Assert.Equal(value.Value ?? double.NaN, b.Metrics[name].Value ?? double.NaN, 1e-12);
            Assert.Equal(value.CiLow ?? double.NaN, b.Metrics[name].CiLow ?? double.NaN, 1e-12);
        }
    }

    [Fact]
    public void Target_Alert_Rate_Should_Choose_The_Reference_Threshold_And_Say_So()
    {
        // When
        var result = RiskAggregator.Aggregate("risk", "replay", Counts, Rows, new RiskAggregationOptions { TargetAlertRate = Ref.D("target_alert_rate"), BootstrapResamples = 0 });

        // Then
        Assert.Equal(Ref.D("threshold_for_target"), result.Metrics["alert_threshold"].Value!.Value);
        foreach (var expected in Ref.GetProperty("at_target").EnumerateObject())
        {
            Assert.Equal(expected.Value.GetDouble(), result.Metrics[expected.Name].Value!.Value, 1e-9);
        }

        Assert.Contains(result.Notes, n => n.Contains("was chosen on these data", StringComparison.Ordinal));
        Assert.Null(result.Metrics["auroc"].CiLow);
    }

    [Fact]
    public void Without_Threshold_Alert_Metrics_Should_Be_Left_Out_With_A_Note()
    {
        var result = RiskAggregator.Aggregate("risk", "replay", Counts, Rows, new RiskAggregationOptions { BootstrapResamples = 0 });
        Assert.False(result.Metrics.ContainsKey("sensitivity_units"));
        Assert.True(result.Metrics.ContainsKey("auroc"));
        Assert.Contains(result.Notes, n => n.StartsWith("No threshold", StringComparison.Ordinal));
    }

    [Fact]
    public void Both_Threshold_And_Target_Rate_Should_Be_Refused()
    {
        Assert.Throws<ArgumentException>(() => RiskAggregator.Aggregate("risk", "replay", Counts, Rows, new RiskAggregationOptions { Threshold = 0.3, TargetAlertRate = 0.1 }));
    }

    [Fact]
    public void One_Class_Only_Should_Report_Counts_And_Note_What_Is_Undefined()
    {
        // Given: only negative decision points, no onset
        var negatives = Rows.Where(r => r.Onset is null).ToList();

        // When
        var result = RiskAggregator.Aggregate("risk", "replay", Counts, negatives, AtThreshold with { BootstrapResamples = 50 });

        // Then
        Assert.False(result.Metrics.ContainsKey("auroc"));
        Assert.False(result.Metrics.ContainsKey("sensitivity_units"));
        Assert.True(result.Metrics.ContainsKey("alert_rate"));
        Assert.Contains(result.Notes, n => n.StartsWith("auroc is undefined", StringComparison.Ordinal));
        Assert.False(result.Curves.ContainsKey("roc"));
    }

    [Fact]
    public void Breakdowns_Should_Split_By_Stratum_With_Their_Own_Counts()
    {
        var sex = Result.Value.Breakdowns["sex"];
        Assert.Equal(["F", "M"], sex.Keys);
        Assert.Equal(Rows.Count, sex.Values.Sum(v => (int)v["decision_points"].Value!.Value));
        Assert.Equal(Rows.Count(r => r.Strata["sex"] == "F"), (int)sex["F"]["decision_points"].Value!.Value);
        Assert.NotNull(sex["F"]["auroc"].CiLow);
    }

    [Fact]
    public void Roc_Curve_Should_Be_Thinned_On_Large_Cohorts_Keeping_Both_Ends()
    {
        // Given: 1500 distinct scores
        var rows = Enumerable.Range(0, 1500).Select(i => Rows[0] with
        {
            ItemId = $"x{i}",
            PatientId = $"p{i % 300}",
            UnitId = $"u{i % 300}",
            Score = i / 1500.0,
            Label = i % 3 == 0,
            Onset = null,
        }).ToList();

        // When
        var roc = RiskAggregator.Aggregate("risk", "replay", Counts, rows, new RiskAggregationOptions { BootstrapResamples = 0 }).Curves["roc"];

        // Then
        Assert.Equal(501, roc.Points.Count);
        Assert.Equal((0.0, 0.0, "no alert"), (roc.Points[0].X, roc.Points[0].Y, roc.Points[0].Label));
        Assert.Equal((1.0, 1.0), (roc.Points[^1].X, roc.Points[^1].Y));
        Assert.All(roc.Points.Zip(roc.Points.Skip(1)), p => Assert.True(p.Second.X >= p.First.X && p.Second.Y >= p.First.Y));
    }

    [Fact]
    public void A_Unit_With_Onset_Before_Its_First_Decision_Point_Should_Be_Noted_Not_Counted_As_Missed()
    {
        // Given: one positive admission's onset moved to before its first decision point
        var unit = Rows.First(r => r.Onset is not null).UnitId;
        var first = Rows.Where(r => r.UnitId == unit).Min(r => r.AsOf);
        var rows = Rows.Select(r => r.UnitId == unit ? r with { Onset = first.AddHours(-1) } : r).ToList();

        // When
        var result = RiskAggregator.Aggregate("risk", "replay", Counts, rows, AtThreshold with { BootstrapResamples = 0 });

        // Then
        Assert.Equal(Ref.GetProperty("counts").GetProperty("positive_units").GetInt32() - 1, (int)result.Metrics["positive_units"].Value!.Value);
        Assert.Contains(result.Notes, n => n.StartsWith("1 unit(s) had their outcome onset before their first decision point", StringComparison.Ordinal));
    }

    [Fact]
    public void No_Usable_Item_Should_Give_An_Empty_Result_With_A_Note()
    {
        var errored = Rows.Take(3).Select(r => r with { Status = ItemStatus.Errored }).ToList();
        var result = RiskAggregator.Aggregate("risk", "replay", new SuiteCounts(3, 0, 0, 3), errored, AtThreshold);
        Assert.Empty(result.Metrics);
        Assert.Contains(result.Notes, n => n.StartsWith("No decision point", StringComparison.Ordinal));
    }
}
