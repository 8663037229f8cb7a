namespace ValidationLab.Cli.Tests.Support;

/// <summary>Locates the repository (the folder holding ValidationLab.sln) from the test binaries.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared data folder next to the repository (../shared/data).</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    /// <summary>The bundled MedQA fixture as committed in the repository.</summary>
    public static string MedQaFixture => Path.Combine(Root, "fixtures", "medqa", "medqa-fixture.jsonl");

    private static string FindRoot()
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
