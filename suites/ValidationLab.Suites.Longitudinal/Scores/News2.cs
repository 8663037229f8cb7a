namespace ValidationLab.Suites.Longitudinal.Scores;

/// <summary>Level of consciousness on the ACVPU scale used by NEWS2.</summary>
public enum Acvpu
{
    Alert,
    NewConfusion,
    Voice,
    Pain,
    Unresponsive,
}

/// <summary>The seven NEWS2 parameters. <see cref="Scale2"/> selects SpO2 scale 2 (hypercapnic respiratory failure, target 88–92%).</summary>
public sealed record News2Input(
    double RespirationRate,
    double SpO2,
    bool OnOxygen,
    double SystolicBp,
    double Pulse,
    Acvpu Consciousness,
    double Temperature,
    bool Scale2 = false);

/// <summary>A NEWS2 total with its parts, so a reviewer sees where the points came from.</summary>
public sealed record News2Score(int Total, int Respiration, int SpO2, int AirOrOxygen, int SystolicBp, int Pulse, int Consciousness, int Temperature)
{
    /// <summary>RCP clinical risk: high at 7+, medium at 5–6, low-medium when any single parameter scores 3, low otherwise.</summary>
    public string Risk => Total >= 7 ? "high" : Total >= 5 ? "medium" : new[] { Respiration, SpO2, SystolicBp, Pulse, Consciousness, Temperature }.Any(p => p == 3) ? "low-medium" : "low";
}

/// <summary>
/// National Early Warning Score 2 (Royal College of Physicians, 2017, chart 1), exactly as published. The chart's
/// bands are whole numbers (temperature to one decimal); a measured value is first rounded half away from zero to
/// that resolution, then banded, so 20.4 breaths/min scores as 20 and 20.5 as 21.
/// </summary>
public static class News2
{
    public static News2Score Score(News2Input v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var rr = Respiration(v.RespirationRate);
        var spo2 = v.Scale2 ? SpO2Scale2(v.SpO2, v.OnOxygen) : SpO2Scale1(v.SpO2);
        var o2 = v.OnOxygen ? 2 : 0;
        var sbp = SystolicBp(v.SystolicBp);
        var pulse = Pulse(v.Pulse);
        var cons = v.Consciousness == Acvpu.Alert ? 0 : 3;
        var temp = Temperature(v.Temperature);
        return new News2Score(rr + spo2 + o2 + sbp + pulse + cons + temp, rr, spo2, o2, sbp, pulse, cons, temp);
    }

    /// <summary>≤8: 3; 9–11: 1; 12–20: 0; 21–24: 2; ≥25: 3.</summary>
    public static int Respiration(double perMinute) => Whole(perMinute) switch
    {
        <= 8 => 3,
        <= 11 => 1,
        <= 20 => 0,
        <= 24 => 2,
        _ => 3,
    };

    /// <summary>Scale 1: ≤91: 3; 92–93: 2; 94–95: 1; ≥96: 0.</summary>
    public static int SpO2Scale1(double percent) => Whole(percent) switch
    {
        <= 91 => 3,
        <= 93 => 2,
        <= 95 => 1,
        _ => 0,
    };

    /// <summary>
    /// Scale 2: ≤83: 3; 84–85: 2; 86–87: 1; 88–92, or ≥93 on air: 0; 93–94 on oxygen: 1; 95–96 on oxygen: 2;
    /// ≥97 on oxygen: 3.
    /// </summary>
    public static int SpO2Scale2(double percent, bool onOxygen) => Whole(percent) switch
    {
        <= 83 => 3,
        <= 85 => 2,
        <= 87 => 1,
        <= 92 => 0,
        _ when !onOxygen => 0,
        <= 94 => 1,
        <= 96 => 2,
        _ => 3,
    };

    /// <summary>≤90: 3; 91–100: 2; 101–110: 1; 111–219: 0; ≥220: 3.</summary>
    public static int SystolicBp(double mmHg) => Whole(mmHg) switch
    {
        <= 90 => 3,
        <= 100 => 2,
        <= 110 => 1,
        <= 219 => 0,
        _ => 3,
    };

    /// <summary>≤40: 3; 41–50: 1; 51–90: 0; 91–110: 1; 111–130: 2; ≥131: 3.</summary>
    public static int Pulse(double perMinute) => Whole(perMinute) switch
    {
        <= 40 => 3,
        <= 50 => 1,
        <= 90 => 0,
        <= 110 => 1,
        <= 130 => 2,
        _ => 3,
    };

    /// <summary>≤35.0: 3; 35.1–36.0: 1; 36.1–38.0: 0; 38.1–39.0: 1; ≥39.1: 2 (tenths of a degree compared as whole tenths).</summary>
    public static int Temperature(double celsius) => Whole(celsius * 10) switch
    {
        <= 350 => 3,
        <= 360 => 1,
        <= 380 => 0,
        <= 390 => 1,
        _ => 2,
    };

    private static long Whole(double v) => (long)Math.Round(v, MidpointRounding.AwayFromZero);
}

/// <summary>
/// quick SOFA (Seymour et al., JAMA 2016; Sepsis-3): one point each for respiratory rate ≥ 22/min, systolic blood
/// pressure ≤ 100 mmHg and altered mentation (GCS &lt; 15; here any ACVPU level other than Alert).
/// </summary>
public static class Qsofa
{
    public static int Score(double respirationRate, double systolicBp, bool alteredMentation) =>
        (respirationRate >= 22 ? 1 : 0) + (systolicBp <= 100 ? 1 : 0) + (alteredMentation ? 1 : 0);
}
