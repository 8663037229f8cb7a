using ValidationLab.Exporters;
using ValidationLab.Runners;

namespace ValidationLab.Pipeline;

/// <summary>How one run is hosted: its id, extra exporters, an optional runner decorator (the response cache).</summary>
public sealed record PipelineOptions
{
    /// <summary>The run id; a new one is made when null.</summary>
    public string? RunId { get; init; }

    /// <summary>True when this run continues an interrupted one (recorded in the manifest).</summary>
    public bool Resumed { get; init; }

    /// <summary>Wraps the configured runner, e.g. in the response cache; receives the runner and its factory.</summary>
    public Func<IModelRunner, IRunnerFactory, IModelRunner>? DecorateRunner { get; init; }

    /// <summary>Exporters beyond the built-in results.json, items.jsonl and items.csv (the HTML report).</summary>
    public IReadOnlyList<Exporters.IRunExporter> Exporters { get; init; } = [];

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public IProgressSink Progress { get; init; } = NullProgressSink.Instance;
}
