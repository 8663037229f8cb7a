using ValidationLab.Testing;

namespace ValidationLab.Suites.Longitudinal.Tests;

/// <summary>Paths of the shared real data this project's tests read.</summary>
internal static class RealData
{
    public static string Mimic3 => Path.Combine(TestRepository.SharedData, "mimic3_demo");

    public static string SyntheaFhir => Path.Combine(TestRepository.SharedData, "synthea_ma10", "output", "fhir");

    public static string SyntheaCsv => Path.Combine(TestRepository.SharedData, "synthea_ma10", "output", "csv");

    public static string BulkFhir => Path.Combine(TestRepository.SharedData, "smart_bulk_fhir_10patients");

    public static string Fixture => Path.Combine(TestRepository.Root, "fixtures", "longitudinal", "generated-ward");

    public static string Task(string name) => Path.Combine(TestRepository.Root, "fixtures", "longitudinal", "tasks", name + ".yaml");
}

/// <summary>
/// A fact that needs one of the shared real data folders. Reported as skipped, with the path, when the folder is
/// absent — except when the environment variable CI is set: then it runs and fails, so CI never passes a real-data
/// check that did not run. (xunit 2 has no dynamic skip, so the check runs at discovery.)
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(string folder)
    {
        string path;
        try
        {
            path = Path.Combine(TestRepository.SharedData, folder);
        }
        catch (InvalidOperationException ex)
        {
            path = ex.Message;
        }

        if (!Directory.Exists(path) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = $"real data folder {path} is absent; this real-data check did not run";
        }
    }
}
