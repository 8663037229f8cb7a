using System.Text.Json;
using ValidationLab.Results;
using ValidationLab.Suites.Longitudinal.Scoring;
using ValidationLab.Testing;

namespace ValidationLab.Suites.Longitudinal.Tests.Scoring;

/// <summary>
/// The seeded clustered dataset of tests/reference/early_warning_reference.py as risk observations, and the values
/// scikit-learn, statsmodels and numpy computed on it (committed JSON; tests never call Python).
/// </summary>
internal static class RiskReferenceData
{
    public static readonly DateTimeOffset Origin = new(2024, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<JsonElement> Json = new(() =>
    {
        string path = Path.Combine(TestRepository.Root, "tests", "reference", "early_warning_reference.json");
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream).RootElement.Clone();
    });

    public static JsonElement Reference => Json.Value;

    public static IReadOnlyList<RiskObservation> Observations()
    {
        var d = Reference.GetProperty("data");
        int n = d.GetProperty("score").GetArrayLength();
        var rows = new List<RiskObservation>(n);
        for (int i = 0; i < n; i++)
        {
            int patient = d.GetProperty("patient")[i].GetInt32();
            var onset = d.GetProperty("onset_hours")[i];
            rows.Add(new RiskObservation(
                ItemId: $"dp{i:D4}",
                PatientId: $"patient-{patient:D3}",
                UnitId: $"admission-{d.GetProperty("unit")[i].GetInt32()}",
                AsOf: Origin.AddHours(d.GetProperty("time_hours")[i].GetDouble()),
                Status: ItemStatus.Scored,
                Score: d.GetProperty("score")[i].GetDouble(),
                Label: d.GetProperty("label")[i].GetInt32() != 0,
                Onset: onset.ValueKind == JsonValueKind.Null ? null : Origin.AddHours(onset.GetDouble()),
                ExposureHours: d.GetProperty("exposure_hours")[i].GetDouble(),
                Strata: new SortedDictionary<string, string>(StringComparer.Ordinal) { ["sex"] = patient % 2 == 0 ? "F" : "M" }));
        }

        return rows;
    }

    public static double D(this JsonElement e, string name) => e.GetProperty(name).GetDouble();
}
