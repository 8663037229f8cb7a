namespace ValidationLab.Suites.MedQA.Tests;

/// <summary>
/// A fact that is reported as skipped, with the reason, when ../shared/data/medqa is absent: xunit 2 has no
/// dynamic skip, and a silent pass would claim a real-data check that never ran.
/// </summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute()
    {
        string? missing;
        try
        {
            missing = File.Exists(RealDataTests.TestFile) && File.Exists(RealDataTests.PredictionsFile)
                ? null
                : $"{RealDataTests.TestFile} or {RealDataTests.PredictionsFile}";
        }
        catch (InvalidOperationException ex)
        {
            missing = ex.Message; // not running from inside the repository
        }

        if (missing is not null)
        {
            Skip = $"real MedQA data not found ({missing}); the 1118/1273 check did not run";
        }
    }
}
