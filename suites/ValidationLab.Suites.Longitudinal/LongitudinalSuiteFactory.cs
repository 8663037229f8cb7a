namespace ValidationLab.Suites.Longitudinal;

/// <summary>Registers the "longitudinal" suite with the pipeline (see AssemblyInfo.cs).</summary>
public sealed class LongitudinalSuiteFactory : ISuiteFactory
{
    /// <summary>The bundled generated ward cohort (FHIR Bulk NDJSON, gzipped), copied next to the binaries.</summary>
    public const string FixturePath = "fixtures/longitudinal/generated-ward";

    public string Name => LongitudinalSuite.SuiteName;

    public string Description =>
        "Longitudinal case replay: patient timelines (FHIR, Synthea CSV, MIMIC-III) replayed point in time; a risk at each decision point scored against what happened next";

    public IReadOnlyCollection<string> OptionKeys => LongitudinalOptionKeys.All;

    /// <summary>
    /// The generated ward cohort: the embedded default replays it with the baseline runner, which answers each risk
    /// request with the point-in-time NEWS2 score on its published scale (the reference model of this suite).
    /// </summary>
    public string? DefaultDataPath => FixturePath;

    public ISuite Create(SuiteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new LongitudinalSuite(settings.DataPath, LongitudinalSuiteOptions.From(settings), settings.Seed);
    }
}
