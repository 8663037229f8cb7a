namespace ValidationLab.Governance;

/// <summary>The criteria judged over exactly these files (SHA-256 of each).</summary>
public sealed record GateEvaluation
{
    public required string RunId { get; init; }

    public required string PolicyName { get; init; }

    public required string PolicySha256 { get; init; }

    public required string ResultsSha256 { get; init; }

    public required string? ComparisonSha256 { get; init; }

    /// <summary>Fingerprint of report.html (see <see cref="Evidence.ReportSha256"/>), null when the run has none.</summary>
    public required string? ReportSha256 { get; init; }

    public required IReadOnlyList<string> RequiredRoles { get; init; }

    public required bool CriteriaPassed { get; init; }

    public required IReadOnlyList<CriterionResult> Criteria { get; init; }
}
