namespace ValidationLab.Core.Tests.Analysis;

/// <summary>
/// A fact on the real MedQA files (../shared/data/medqa): skipped with the reason when they are absent on a
/// developer's machine, but run (and failed) when the environment variable CI is set.
/// </summary>
public sealed class RealMedQaFactAttribute : FactAttribute
{
    public static string MedQaFolder => Path.Combine(ValidationLab.Testing.TestRepository.SharedData, "medqa");

    public RealMedQaFactAttribute()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            return;
        }

        try
        {
            if (!File.Exists(Path.Combine(MedQaFolder, "test.jsonl")))
            {
                Skip = $"real MedQA data not found in {MedQaFolder}; the real-data slicing check did not run";
            }
        }
        catch (InvalidOperationException ex)
        {
            Skip = ex.Message;
        }
    }
}
