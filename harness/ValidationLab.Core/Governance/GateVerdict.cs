using System.Text.Json.Nodes;

namespace ValidationLab.Governance;

/// <summary>
/// gate.json (docs/governance.md). <see cref="Evaluation"/> is what the criteria said about which evidence; its
/// digest <see cref="VerdictSha256"/> is what a sign-off binds to. It holds no time and no sign-off, so re-gating
/// the same policy over the same files gives the same digest and signatures stay valid; change a byte of the
/// policy, results, comparison or report and the digest changes, and the signatures are stale.
/// </summary>
public sealed record GateVerdict
{
    public string SchemaVersion { get; init; } = "1.0";

    public required DateTimeOffset EvaluatedUtc { get; init; }

    /// <summary><c>promotable</c>, <c>criteria_not_met</c>, <c>signoff_incomplete</c> or (with --criteria-only) <c>criteria_met</c>.</summary>
    public required string Verdict { get; init; }

    public required bool Promotable { get; init; }

    /// <summary>Full path of the policy file read (to re-verify it later).</summary>
    public required string PolicyPath { get; init; }

    public required string RunDirectory { get; init; }

    /// <summary>Full path of the comparison.json judged, or null.</summary>
    public required string? ComparisonPath { get; init; }

    /// <summary>SHA-256 of the canonical JSON of <see cref="Evaluation"/>.</summary>
    public required string VerdictSha256 { get; init; }

    public required GateEvaluation Evaluation { get; init; }

    /// <summary>Null with --criteria-only (sign-offs not checked).</summary>
    public SignoffState? Signoffs { get; init; }

    public static string Digest(GateEvaluation evaluation) =>
        CanonicalJson.Sha256(System.Text.Json.JsonSerializer.SerializeToNode(evaluation, Output.ResultsJson.Compact));

    /// <summary>The digest of the evaluation as found in a gate.json file (for verification).</summary>
    public static string Digest(JsonNode? evaluation) => CanonicalJson.Sha256(evaluation);
}
