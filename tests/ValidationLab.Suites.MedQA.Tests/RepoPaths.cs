namespace ValidationLab.Suites.MedQA.Tests;

/// <summary>Locates the repository (the folder holding ValidationLab.sln) from the test binaries.</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ValidationLab.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"no ValidationLab.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The shared data folder next to the repository (../shared/data).</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    /// <summary>A bundled fixture as copied to the test output folder by the suite project.</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "medqa", name);
}
