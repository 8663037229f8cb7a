using System.Globalization;

namespace ValidationLab.Suites.MedQA.Demographics;

/// <summary>
/// Age bands for the age_band stratum. The default (0-17, 18-44, 45-64, 65+) is what MedQA items carry; a run's
/// slices: age_bands re-bands from the 'age' stratum (whole years) with the same labels.
/// </summary>
public static class AgeBands
{
    public static IReadOnlyList<int> Default => Items.AgeBands.Default;

    /// <summary>Years -> "lower-upper" or "lower+" (the harness-wide banding, <see cref="Items.AgeBands"/>).</summary>
    public static string Band(double years, IReadOnlyList<int> cuts) => Items.AgeBands.Band(years, cuts);

    /// <summary>Adds 'sex', 'age' (whole years or "unknown") and 'age_band' to an item's strata.</summary>
    public static void AddStrata(IDictionary<string, string> strata, PatientDemographics patient)
    {
        ArgumentNullException.ThrowIfNull(strata);
        ArgumentNullException.ThrowIfNull(patient);
        strata["sex"] = patient.Sex;
        strata["age"] = patient.AgeYears is { } y ? ((int)Math.Floor(y)).ToString(CultureInfo.InvariantCulture) : PatientDemographics.Unknown;
        strata["age_band"] = patient.AgeYears is { } years ? Band(years, Default) : PatientDemographics.Unknown;
    }
}
