using System.Globalization;

namespace ValidationLab.Runners.Baseline;

/// <summary>
/// How the baseline turns one structured feature of a <see cref="Requests.RiskRequest"/> into a probability-like
/// score in [0, 1]: the feature divided by the top of its published scale. The map is monotone, so AUROC, AUPRC and
/// the alert ordering are those of the published score itself; the values are not calibrated probabilities (read the
/// calibration metrics of a baseline run with that in mind). A value outside the scale is refused, never clipped:
/// it means the feature was computed wrongly.
/// </summary>
public static class RiskFeatureScale
{
    /// <summary>Feature name → (top of the scale, where the scale is published).</summary>
    public static IReadOnlyDictionary<string, (double Maximum, string Source)> Scales { get; } =
        new SortedDictionary<string, (double, string)>(StringComparer.Ordinal)
        {
            // NEWS2 aggregate score: 0..20 (Royal College of Physicians, National Early Warning Score 2, 2017, chart 1).
            ["news2"] = (20.0, "NEWS2 aggregate score 0-20 (Royal College of Physicians 2017)"),

            // qSOFA: one point each for RR >= 22/min, altered mentation, SBP <= 100 mmHg (Seymour et al., JAMA 2016).
            ["qsofa"] = (3.0, "qSOFA 0-3 (Seymour et al. 2016)"),

            // KDIGO AKI stage 0 (none) to 3 (KDIGO Clinical Practice Guideline for Acute Kidney Injury, 2012).
            ["kdigo_stage"] = (3.0, "KDIGO AKI stage 0-3 (KDIGO 2012)"),

            // SOFA: six organ systems scored 0-4 each (Vincent et al., Intensive Care Med 1996).
            ["sofa"] = (24.0, "SOFA 0-24 (Vincent et al. 1996)"),

            // Lactate has no bounded published scale: capped at 10 mmol/L, well above the 4 mmol/L hypoperfusion
            // threshold of the Surviving Sepsis Campaign (2021), so the ordering below the cap is preserved and every
            // value above it counts as maximal risk. A negative lactate is refused.
            ["lactate"] = (10.0, "lactate mmol/L capped at 10 (values above count as 1)"),
        };

    /// <summary>Features whose values above the top of the scale are capped (lactate) rather than refused.</summary>
    private static readonly HashSet<string> Capped = new(StringComparer.Ordinal) { "lactate" };

    /// <summary>One line per feature for error messages and documentation.</summary>
    public static string Describe() => string.Join("; ", Scales.Select(s => $"{s.Key}: {s.Value.Source}"));

    /// <summary>The score for <paramref name="value"/>, or the reason it cannot be scored.</summary>
    public static (double? Score, string? Problem) Map(string feature, double value)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (!Scales.TryGetValue(feature, out var scale))
        {
            return (null, $"unknown risk feature '{feature}'");
        }

        string shown = value.ToString("R", CultureInfo.InvariantCulture);
        if (!double.IsFinite(value) || value < 0.0)
        {
            return (null, $"{feature} = {shown} is not a value of its scale ({scale.Source})");
        }

        if (value > scale.Maximum)
        {
            return Capped.Contains(feature) ? (1.0, null) : (null, $"{feature} = {shown} is above the top of its scale ({scale.Source})");
        }

        return (value / scale.Maximum, null);
    }
}
