namespace ValidationLab.Suites.MedQA.Tests.Demographics;

/// <summary>
/// A fact on the real MedQA files (../shared/data/medqa). It is skipped, with the reason, when they are absent on a
/// developer's machine; when the environment variable CI is set it runs anyway and fails, because a CI run must
/// never claim a real-data check it did not make.
/// </summary>
public sealed class RealMedQaDataFactAttribute : FactAttribute
{
    public RealMedQaDataFactAttribute()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            return;
        }

        string? missing;
        try
        {
            missing = File.Exists(RealDataTests.TestFile) && File.Exists(RealDataTests.PredictionsFile) ? null : RealDataTests.TestFile;
        }
        catch (InvalidOperationException ex)
        {
            missing = ex.Message;
        }

        if (missing is not null)
        {
            Skip = $"real MedQA data not found ({missing}); the real-data check did not run";
        }
    }
}
