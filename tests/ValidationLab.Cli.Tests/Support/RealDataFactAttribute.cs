namespace ValidationLab.Cli.Tests.Support;

/// <summary>
/// A fact that needs the shared MedQA data (../shared/data/medqa beside the repository); reported as skipped, with the
/// path it looked for, when that folder is absent. xunit v2 has no dynamic skip, so the check runs at discovery.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute()
    {
        var folder = Path.Combine(RepoPaths.SharedData, "medqa");
        if (!Directory.Exists(folder))
        {
            Skip = $"real data folder {folder} is absent; real-data check skipped";
        }
    }
}
