using ValidationLab.Suites.Longitudinal.Scores;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Rendering;

/// <summary>
/// Structured features at a decision time, built from a <see cref="TimelineView"/> only (so from facts at or
/// before t): the last value of each numeric vital and lab, and the reference scores computed from them.
/// <list type="bullet">
/// <item><c>news2</c>: NEWS2 (scale 1) from the last respiration rate, SpO2, systolic BP, pulse and temperature,
/// present only when all five have been measured; oxygen is "on" when the last inhaled O2 flow is &gt; 0 (air when
/// never recorded) and consciousness is the last ACVPU (Alert when never recorded);</item>
/// <item><c>qsofa</c>: from the last respiration rate and systolic BP, mentation from ACVPU;</item>
/// <item><c>kdigo_stage</c>: KDIGO creatinine stage of the last creatinine; <c>creatinine_delta_48h</c> and
/// <c>creatinine_ratio_7d</c>: the last creatinine against the lowest of the previous 48 h / 7 days;</item>
/// <item><c>last_lactate</c>: the last lactate in mmol/L.</item>
/// </list>
/// </summary>
public static class FeatureBuilder
{
    public const string News2Feature = "news2";
    public const string QsofaFeature = "qsofa";
    public const string KdigoStageFeature = "kdigo_stage";
    public const string LastLactateFeature = "last_lactate";

    /// <summary>The features at the view's time, computed from the start of the record.</summary>
    public static SortedDictionary<string, double> Build(TimelineView view) => new FeatureWalker().Build(view);

    /// <summary>The features from the last values seen so far (the walker's state), plus the reference scores.</summary>
    internal static SortedDictionary<string, double> Snapshot(TimelineView view, Dictionary<string, double> last, string? acvpu, List<CreatinineResult> creatinine)
    {
        var features = new SortedDictionary<string, double>(last, StringComparer.Ordinal);
        var consciousness = ParseAcvpu(acvpu);
        if (acvpu is not null)
        {
            features[FeatureCatalog.Consciousness] = (int)consciousness;
        }

        if (features.TryGetValue(FeatureCatalog.RespirationRate, out var rr) && features.TryGetValue(FeatureCatalog.SystolicBp, out var sbp))
        {
            features[QsofaFeature] = Qsofa.Score(rr, sbp, consciousness != Acvpu.Alert);
            if (features.TryGetValue(FeatureCatalog.SpO2, out var spo2) && features.TryGetValue(FeatureCatalog.HeartRate, out var hr)
                && features.TryGetValue(FeatureCatalog.Temperature, out var temp))
            {
                var onOxygen = features.TryGetValue(FeatureCatalog.OxygenFlow, out var flow) && flow > 0;
                features[News2Feature] = News2.Score(new News2Input(rr, spo2, onOxygen, sbp, hr, consciousness, temp)).Total;
            }
        }

        if (creatinine.Count > 0)
        {
            features[KdigoStageFeature] = Kdigo.Stage(creatinine);
            var lastResult = creatinine[^1];
            double min48 = double.PositiveInfinity, min7 = double.PositiveInfinity;
            for (var i = creatinine.Count - 2; i >= 0 && lastResult.Time - creatinine[i].Time <= Kdigo.BaselineWindow; i--)
            {
                min7 = Math.Min(min7, creatinine[i].MgPerDl);
                if (lastResult.Time - creatinine[i].Time <= Kdigo.AbsoluteWindow)
                {
                    min48 = Math.Min(min48, creatinine[i].MgPerDl);
                }
            }

            features["creatinine_delta_48h"] = double.IsFinite(min48) ? lastResult.MgPerDl - min48 : 0;
            features["creatinine_ratio_7d"] = double.IsFinite(min7) && min7 > 0 ? lastResult.MgPerDl / min7 : 1;
        }

        if (features.TryGetValue(FeatureCatalog.Lactate, out var lactate))
        {
            features[LastLactateFeature] = lactate;
        }

        if (view.Demographics.BirthDate is { } birth)
        {
            features["age_years"] = Math.Floor((view.AsOf - birth).TotalDays / 365.25);
        }

        return features;
    }

    public static Acvpu ParseAcvpu(string? text) => (text ?? "A").Trim().ToUpperInvariant() switch
    {
        "C" or "CONFUSION" or "NEW CONFUSION" => Acvpu.NewConfusion,
        "V" or "VOICE" => Acvpu.Voice,
        "P" or "PAIN" => Acvpu.Pain,
        "U" or "UNRESPONSIVE" => Acvpu.Unresponsive,
        _ => Acvpu.Alert,
    };
}
