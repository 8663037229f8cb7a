namespace ValidationLab.Suites.MedQA.Demographics;

/// <summary>
/// The patient's sex and age as read from a vignette. <see cref="Sex"/> is "female", "male" or "unknown";
/// <see cref="AgeYears"/> is whole years (0 for infants) or null when the vignette does not say; <see cref="Evidence"/>
/// quotes what the answer rests on, for reviewers.
/// </summary>
public sealed record PatientDemographics(string Sex, double? AgeYears, string Evidence)
{
    public const string Female = "female";
    public const string Male = "male";
    public const string Unknown = "unknown";

    public static PatientDemographics None { get; } = new(Unknown, null, "no patient described");
}
