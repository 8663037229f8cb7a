using ValidationLab.Configuration;

namespace ValidationLab.Suites;

/// <summary>A suite's configuration as the user wrote it (see <see cref="PluginSettings"/>), plus its data.</summary>
public sealed record SuiteSettings : PluginSettings
{
    /// <summary>The data file or folder, already resolved to a full path.</summary>
    public required string DataPath { get; init; }

    protected override string Kind => "suite";
}
