namespace ValidationLab.Runners;

/// <summary>
/// Creates a runner from its settings. Factories register with <see cref="RunnerFactoryAttribute"/> on their
/// assembly; the pipeline finds them without being edited.
/// </summary>
public interface IRunnerFactory
{
    /// <summary>The name configs use: "baseline", "replay", "openai".</summary>
    string Name { get; }

    /// <summary>One line for `validationlab runners` and error messages.</summary>
    string Description { get; }

    /// <summary>Every option key this runner understands (prefix keys end with '.', e.g. "headers."); others are refused.</summary>
    IReadOnlyCollection<string> OptionKeys { get; }

    /// <summary>
    /// Whether answers are worth caching in the run store (true for endpoints and local engines, where each answer
    /// costs time or money; false for baselines and recorded predictions, which are free to recompute).
    /// </summary>
    bool CachesResponses => true;

    /// <summary>Validate the settings and build the runner; throw <see cref="Errors.InputException"/> on bad settings.</summary>
    IModelRunner Create(RunnerSettings settings);
}

/// <summary>Registers a runner factory: <c>[assembly: RunnerFactory(typeof(OpenAIRunnerFactory))]</c>.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class RunnerFactoryAttribute(Type factoryType) : Attribute
{
    public Type FactoryType { get; } = factoryType;
}
