namespace ValidationLab.Suites;

/// <summary>
/// Creates a suite from its settings. Factories register with <see cref="SuiteFactoryAttribute"/> on their assembly:
/// adding a suite never edits the pipeline.
/// </summary>
public interface ISuiteFactory
{
    /// <summary>The name configs and <c>--suite</c> use: "medqa".</summary>
    string Name { get; }

    string Description { get; }

    /// <summary>Every option key the suite understands; others are refused before the run.</summary>
    IReadOnlyCollection<string> OptionKeys { get; }

    /// <summary>
    /// The bundled fixture the embedded default runs on, relative to the application folder; null when the suite
    /// has none (it is then left out of the embedded default).
    /// </summary>
    string? DefaultDataPath { get; }

    /// <summary>Validate the settings (not yet the data) and build the suite.</summary>
    ISuite Create(SuiteSettings settings);
}

/// <summary>Registers a suite factory: <c>[assembly: SuiteFactory(typeof(MedQaSuiteFactory))]</c>.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class SuiteFactoryAttribute(Type factoryType) : Attribute
{
    public Type FactoryType { get; } = factoryType;
}
