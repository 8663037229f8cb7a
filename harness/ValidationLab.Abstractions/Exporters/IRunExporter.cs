using ValidationLab.Results;

namespace ValidationLab.Exporters;

/// <summary>
/// Renders a finished run into one file. Exporters only render: the pipeline owns file names, the temporary
/// folder and the final move, so a failed run leaves nothing half-written.
/// </summary>
public interface IRunExporter
{
    /// <summary>The file this exporter writes, e.g. "report.html".</summary>
    string FileName { get; }

    /// <summary>Write the run to <paramref name="destination"/>; must be deterministic for deterministic input.</summary>
    Task WriteAsync(RunResult run, IReadOnlyList<ItemResult> items, Stream destination, CancellationToken cancellationToken);

    /// <summary>
    /// Write the run with what is known about it besides (comparison, gate verdict, sign-offs). Exporters that show
    /// none of it need not implement this: the default ignores <paramref name="evidence"/>.
    /// </summary>
    Task WriteAsync(RunResult run, IReadOnlyList<ItemResult> items, ReportEvidence evidence, Stream destination, CancellationToken cancellationToken)
        => WriteAsync(run, items, destination, cancellationToken);
}
