using ValidationLab.Results;

namespace ValidationLab.Pipeline;

/// <summary>A finished run: its results, its items, where they were written and whether it passed its limits.</summary>
public sealed record RunOutcome(RunResult Result, IReadOnlyList<ItemResult> Items, string OutDirectory, string? FailureReason)
{
    /// <summary>True when the run completed within its configured error-rate limit.</summary>
    public bool Succeeded => FailureReason is null;
}
