using ValidationLab.Suites.Longitudinal.Readers;
using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Rendering;

/// <summary>
/// Names for the concepts reference scores need, across code systems: LOINC (Synthea, generated cohort) and MIMIC
/// lab item ids. Anything else keeps its own key ("lab:&lt;system&gt;|&lt;code&gt;").
/// </summary>
public static class FeatureCatalog
{
    public const string RespirationRate = "resp_rate";
    public const string SpO2 = "spo2";
    public const string SystolicBp = "sbp";
    public const string DiastolicBp = "dbp";
    public const string HeartRate = "heart_rate";
    public const string Temperature = "temperature";
    public const string OxygenFlow = "o2_flow";
    public const string Consciousness = "acvpu";
    public const string Creatinine = "creatinine";
    public const string Lactate = "lactate";

    /// <summary>LOINC "Level of responsiveness" (AVPU); values A, C, V, P or U.</summary>
    public const string AcvpuLoinc = "67775-7";

    private static readonly Dictionary<(string, string), string> Names = new()
    {
        [(FhirMapper.LoincSystem, "9279-1")] = RespirationRate,
        [(FhirMapper.LoincSystem, "59408-5")] = SpO2,
        [(FhirMapper.LoincSystem, "2708-6")] = SpO2,
        [(FhirMapper.LoincSystem, "8480-6")] = SystolicBp,
        [(FhirMapper.LoincSystem, "8462-4")] = DiastolicBp,
        [(FhirMapper.LoincSystem, "8867-4")] = HeartRate,
        [(FhirMapper.LoincSystem, "8310-5")] = Temperature,
        [(FhirMapper.LoincSystem, "8331-1")] = Temperature,
        [(FhirMapper.LoincSystem, "3151-8")] = OxygenFlow,
        [(FhirMapper.LoincSystem, AcvpuLoinc)] = Consciousness,
        [(FhirMapper.LoincSystem, "2160-0")] = Creatinine,
        [(FhirMapper.LoincSystem, "38483-4")] = Creatinine,
        [(FhirMapper.LoincSystem, "2524-7")] = Lactate,
        [(FhirMapper.LoincSystem, "32693-4")] = Lactate,
        [(Mimic3Reader.LabSystem, Mimic3Reader.CreatinineItem)] = Creatinine,
        [(Mimic3Reader.LabSystem, Mimic3Reader.LactateItem)] = Lactate,
        [(Mimic3Reader.LabSystem, "50971")] = "potassium",
        [(Mimic3Reader.LabSystem, "50983")] = "sodium",
        [(Mimic3Reader.LabSystem, "51301")] = "wbc",
        [(Mimic3Reader.LabSystem, "51222")] = "hemoglobin",
        [(Mimic3Reader.LabSystem, "51265")] = "platelets",
        [(Mimic3Reader.LabSystem, "50882")] = "bicarbonate",
        [(Mimic3Reader.LabSystem, "51006")] = "bun",
        [(Mimic3Reader.LabSystem, "50931")] = "glucose",
        [(Mimic3Reader.LabSystem, "50820")] = "ph",
        [(Mimic3Reader.LabSystem, "50885")] = "bilirubin",
    };

    /// <summary>The catalog name of a concept, or null when it has none.</summary>
    public static string? NameOf(Concept c) => Names.GetValueOrDefault((c.System, c.Code));

    public static bool Is(Concept c, string name) => NameOf(c) == name;
}
