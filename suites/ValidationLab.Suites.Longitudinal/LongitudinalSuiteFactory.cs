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
    /// Null for now: the embedded default runs every bundled fixture with the baseline runner, which does not yet
    /// answer risk requests, so the plan would be refused. Once it does (risk answers from RiskRequest.Features),
    /// this returns <see cref="FixturePath"/> and the embedded default includes the generated ward cohort with NEWS2.
    /// </summary>
    public string? DefaultDataPath => null;

    public ISuite Create(SuiteSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new LongitudinalSuite(settings.DataPath, LongitudinalSuiteOptions.From(settings), settings.Seed);
    }
}
