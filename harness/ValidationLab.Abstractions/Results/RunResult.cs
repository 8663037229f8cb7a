namespace ValidationLab.Results;

/// <summary>The whole of results.json: manifest, per-suite results, accounting and warnings.</summary>
public sealed record RunResult
{
    /// <summary>Version of the results.json layout (docs/results-schema.md).</summary>
    public string SchemaVersion { get; init; } = "1.0";

    public required RunManifest Manifest { get; init; }

    public required IReadOnlyDictionary<string, SuiteResult> Suites { get; init; }

    public required RunAccounting Accounting { get; init; }

    /// <summary>Things the user should know that did not stop the run (unmatched predictions, errored items).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Subgroup slices with gaps, tests and adjusted p-values (issue 9); null when the run declared none.</summary>
    public Slices.SliceReport? Slices { get; init; }
}
