namespace ValidationLab.Statistics.Tests;

/// <summary>
/// A fact that is reported as skipped (with the path in the reason) when a shared data file, given relative
/// to the repository root (the folder holding ValidationLab.sln), is absent. xunit v2 has no dynamic skip.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequiresFileFactAttribute : FactAttribute
{
    public RequiresFileFactAttribute(string relativePath)
    {
        RelativePath = relativePath;
        string? root = Reference.RepoRoot();
        string? path = root is null ? null : Path.GetFullPath(Path.Combine(root, relativePath));
        if (path is null || !File.Exists(path))
        {
            Skip = $"Shared data file '{relativePath}' not found (repo root: {root ?? "no ValidationLab.sln above the test binaries"}); real-data check skipped.";
        }
    }

    public string RelativePath { get; }
}
