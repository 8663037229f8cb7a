namespace ValidationLab.Suites.MedQA.Tests;

/// <summary>Locates the repository (the folder holding ValidationLab.sln) from the test binaries.</summary>
public static class RepoPaths
{
    public static string Root => ValidationLab.Testing.TestRepository.Root;

    /// <summary>The shared data folder next to the repository (../shared/data).</summary>
    public static string SharedData => ValidationLab.Testing.TestRepository.SharedData;

    /// <summary>A bundled fixture as copied to the test output folder by the suite project.</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "medqa", name);
}
