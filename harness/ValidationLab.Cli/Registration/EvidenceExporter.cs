using ValidationLab.Exporters;
using ValidationLab.Results;

namespace ValidationLab.Cli.Registration;

/// <summary>
/// An exporter that hands <paramref name="inner"/> what is known about the run besides the run itself (today: the
/// trend over earlier runs, from the registry) when the pipeline asks it to write. The pipeline knows no registry;
/// the evidence is computed from the finished run (its id, model and start time), so it needs nothing else.
/// </summary>
internal sealed class EvidenceExporter(IRunExporter inner, Func<RunResult, ReportEvidence> evidence) : IRunExporter
{
    public string FileName => inner.FileName;

    public Task WriteAsync(RunResult run, IReadOnlyList<ItemResult> items, Stream destination, CancellationToken cancellationToken) =>
        inner.WriteAsync(run, items, evidence(run), destination, cancellationToken);
}
