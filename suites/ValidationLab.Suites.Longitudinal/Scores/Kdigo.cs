namespace ValidationLab.Suites.Longitudinal.Scores;

/// <summary>One serum creatinine result in mg/dL.</summary>
public readonly record struct CreatinineResult(DateTime Time, double MgPerDl);

/// <summary>Why a creatinine result meets the KDIGO criterion, in words, with the baseline it was compared to.</summary>
public sealed record KdigoFinding(DateTime Time, double Value, string Reason);

/// <summary>
/// KDIGO 2012 acute kidney injury, creatinine criterion only (urine output is not in the data):
/// a result meets it when it is ≥ 0.3 mg/dL above the lowest result of the previous 48 h, or ≥ 1.5 × the lowest
/// result of the previous 7 days. The stage uses the ratio to that 7-day lowest value: stage 3 at ≥ 3.0× or a value
/// ≥ 4.0 mg/dL that itself meets the criterion, stage 2 at ≥ 2.0×, stage 1 otherwise.
/// </summary>
public static class Kdigo
{
    public const double AbsoluteRise = 0.3;
    public const double RelativeRise = 1.5;
    public static readonly TimeSpan AbsoluteWindow = TimeSpan.FromHours(48);
    public static readonly TimeSpan BaselineWindow = TimeSpan.FromDays(7);

    /// <summary>Does result <paramref name="index"/> meet the criterion, judged against the results before it? Results sorted by time.</summary>
    public static KdigoFinding? Criterion(IReadOnlyList<CreatinineResult> results, int index)
    {
        var r = results[index];
        double min48 = double.PositiveInfinity, min7d = double.PositiveInfinity;
        DateTime at48 = default, at7d = default;
        for (var i = index - 1; i >= 0; i--)
        {
            var p = results[i];
            if (p.Time >= r.Time)
            {
                continue; // same-time results are not "previous"
            }

            var age = r.Time - p.Time;
            if (age > BaselineWindow)
            {
                break;
            }

            if (p.MgPerDl < min7d)
            {
                min7d = p.MgPerDl;
                at7d = p.Time;
            }

            if (age <= AbsoluteWindow && p.MgPerDl < min48)
            {
                min48 = p.MgPerDl;
                at48 = p.Time;
            }
        }

        if (double.IsFinite(min48) && r.MgPerDl - min48 >= AbsoluteRise - 1e-9)
        {
            return new KdigoFinding(r.Time, r.MgPerDl, $"creatinine {Fmt(r.MgPerDl)} mg/dL is ≥ 0.3 above {Fmt(min48)} at {Timeline.Times.Format(at48)} (within 48 h)");
        }

        if (double.IsFinite(min7d) && min7d > 0 && r.MgPerDl >= RelativeRise * min7d - 1e-9)
        {
            return new KdigoFinding(r.Time, r.MgPerDl, $"creatinine {Fmt(r.MgPerDl)} mg/dL is ≥ 1.5 × the 7-day lowest {Fmt(min7d)} at {Timeline.Times.Format(at7d)}");
        }

        return null;
    }

    /// <summary>The KDIGO stage (0–3) of the last result, judged against the results before it.</summary>
    public static int Stage(IReadOnlyList<CreatinineResult> results)
    {
        if (results.Count == 0)
        {
            return 0;
        }

        var last = results.Count - 1;
        var meets = Criterion(results, last) is not null;
        if (!meets)
        {
            return 0;
        }

        var r = results[last];
        var min7d = double.PositiveInfinity;
        for (var i = last - 1; i >= 0 && r.Time - results[i].Time <= BaselineWindow; i--)
        {
            if (results[i].Time < r.Time)
            {
                min7d = Math.Min(min7d, results[i].MgPerDl);
            }
        }

        var ratio = double.IsFinite(min7d) && min7d > 0 ? r.MgPerDl / min7d : 1;
        return ratio >= 3.0 || r.MgPerDl >= 4.0 ? 3 : ratio >= 2.0 ? 2 : 1;
    }

    private static string Fmt(double v) => v.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture);
}
