using ValidationLab.Results;
using ValidationLab.Runners;

namespace ValidationLab.Core.Tests.Support;

/// <summary>Hand-built run results and items.</summary>
public static class Runs
{
    public static RunResult Result(string runId, string model, IReadOnlyDictionary<string, SuiteResult>? suites = null) => new()
    {
        Manifest = new RunManifest
        {
            RunId = runId,
            StartedUtc = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            FinishedUtc = new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero),
            HarnessVersion = "0.0.0-test",
            ConfigSha256 = "c0ffee",
            DataFiles = new SortedDictionary<string, string>(StringComparer.Ordinal),
            Runner = new RunnerIdentity { Runner = "replay", Model = model },
            Seed = 0,
        },
        Suites = suites ?? new SortedDictionary<string, SuiteResult>(StringComparer.Ordinal),
        Accounting = new RunAccounting(),
    };

    /// <summary>correct: true/false for an answered item, null for an errored one.</summary>
    public static ItemResult Item(string suite, string id, bool? correct, string? response = null, IReadOnlyDictionary<string, string>? strata = null) => new()
    {
        Suite = suite,
        ItemId = id,
        Status = correct is null ? ItemStatus.Errored : ItemStatus.Scored,
        Correct = correct,
        Gold = "A",
        Prediction = correct switch { true => "A", false => "B", null => null },
        Response = response,
        Error = correct is null ? "timeout: no answer" : null,
        Explanation = "test",
        Strata = strata ?? new SortedDictionary<string, string>(StringComparer.Ordinal),
    };
}
