namespace ValidationLab.Suites.MedQA;

/// <summary>Registers the "medqa" suite with the pipeline (see AssemblyInfo.cs).</summary>
public sealed class MedQaSuiteFactory : ISuiteFactory
{
    /// <summary>The bundled team-written fixture, copied next to the binaries of any app referencing the suite.</summary>
    public const string FixturePath = "fixtures/medqa/medqa-fixture.jsonl";

    public string Name => MedQaSuite.SuiteName;

    public string Description =>
        "MedQA (USMLE) multiple choice: accuracy with Wilson 95% CI by log-likelihood over letters or a generated final letter";

    public IReadOnlyCollection<string> OptionKeys => MedQaOptionKeys.All;

    public string? DefaultDataPath => FixturePath;

    public ISuite Create(SuiteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // The seed is the run's (settings.Run, after every flag override), never a copy taken from the config file.
        return new MedQaSuite(settings.DataPath, MedQaSuiteOptions.From(settings), settings.Run.Seed);
    }
}
