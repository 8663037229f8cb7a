using ValidationLab.Runners;

[assembly: RunnerFactory(typeof(ValidationLab.Plugins.Faulty.FaultyRunnerFactory))]

namespace ValidationLab.Plugins.Faulty;

/// <summary>
/// A runner plug-in with a real bug: it reads an option it never declared and never checks for, so creating it
/// throws KeyNotFoundException — the kind of fault the CLI must report as a bug (exit 1), not as bad input.
/// </summary>
public sealed class FaultyRunnerFactory : IRunnerFactory
{
    public string Name => "faulty";

    public string Description => "a deliberately broken runner (ValidationLab end-to-end tests only)";

    public IReadOnlyCollection<string> OptionKeys => [];

    public bool CachesResponses => false;

    public IModelRunner Create(RunnerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var endpoint = settings.Options["endpoint"]; // the bug: "endpoint" is neither declared nor validated
        throw new InvalidOperationException("unreachable: " + endpoint);
    }
}
