using ValidationLab.Runners;

namespace ValidationLab.Pipeline;

/// <summary>How one run is hosted: its id, extra exporters, an optional runner decorator (the response cache).</summary>
public sealed record PipelineOptions
{
    /// <summary>
    /// Binds the validated runner to its hosting (the run store: response cache, run id, resume). Called once the
    /// configuration, the runner's settings and every suite's data have been checked, and before the first model
    /// call, so that bad input never leaves a store or run record behind. Without it the run gets a new id and the
    /// runner as it is.
    /// </summary>
    public Func<IModelRunner, IRunnerFactory, RunBinding>? Bind { get; init; }

    /// <summary>Exporters beyond the built-in results.json, items.jsonl and items.csv (the HTML report).</summary>
    public IReadOnlyList<Exporters.IRunExporter> Exporters { get; init; } = [];

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public IProgressSink Progress { get; init; } = NullProgressSink.Instance;

    /// <summary>
    /// Requests built, answered and scored together before the next ones are built (at least 4 × the runner's
    /// concurrency, so a chunk's slowest answers overlap with many others). Bounds the requests held in memory.
    /// </summary>
    public int ChunkRequests { get; init; } = 2048;
}
