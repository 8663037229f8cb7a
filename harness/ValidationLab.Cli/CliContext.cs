using ValidationLab.Discovery;

namespace ValidationLab.Cli;

/// <summary>What every command shares: where to write and the installed suites and runners (found on first use).</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, Lazy<PluginCatalog> Registry)
{
    /// <summary>True when output is not an interactive terminal (redirected, CI): plain progress lines, no colours.</summary>
    public bool Plain =>
        !ReferenceEquals(Out, Console.Out) || Console.IsOutputRedirected
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
