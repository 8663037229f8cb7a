namespace ValidationLab.Cli.Tests.Support;

/// <summary>Locates the repository (the folder holding ValidationLab.sln) from the test binaries.</summary>
public static class RepoPaths
{
    public static string Root => ValidationLab.Testing.TestRepository.Root;

    /// <summary>The shared data folder next to the repository (../shared/data).</summary>
    public static string SharedData => ValidationLab.Testing.TestRepository.SharedData;

    /// <summary>The bundled MedQA fixture as committed in the repository.</summary>
    public static string MedQaFixture => Path.Combine(Root, "fixtures", "medqa", "medqa-fixture.jsonl");

}
