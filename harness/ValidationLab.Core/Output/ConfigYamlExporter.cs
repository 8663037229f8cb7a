using System.Text;
using ValidationLab.Exporters;
using ValidationLab.Results;

namespace ValidationLab.Output;

/// <summary>
/// config.yaml: the effective configuration the run used (see <see cref="Configuration.EffectiveConfig"/>);
/// <c>manifest.config_sha256</c> is the SHA-256 of its bytes.
/// </summary>
public sealed class ConfigYamlExporter(string effectiveYaml) : IRunExporter
{
    public const string File = "config.yaml";

    public string FileName => File;

    public Task WriteAsync(RunResult run, IReadOnlyList<ItemResult> items, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return destination.WriteAsync(Encoding.UTF8.GetBytes(effectiveYaml), cancellationToken).AsTask();
    }
}
