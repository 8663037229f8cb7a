using ValidationLab.Configuration;

namespace ValidationLab.Runners;

/// <summary>
/// A runner's configuration as the user wrote it (see <see cref="PluginSettings"/>), plus where events go.
/// </summary>
public sealed record RunnerSettings : PluginSettings
{
    /// <summary>Receives retries, rate-limit waits and similar events for the progress display.</summary>
    public IRunObserver Observer { get; init; } = NullRunObserver.Instance;

    protected override string Kind => "runner";
}
