using System.Text.Json;
using System.Text.Json.Nodes;
using ValidationLab.Errors;

namespace ValidationLab.Governance;

/// <summary>
/// A gate.json read back for sign-off and audit: its verdict digest is recomputed from its evaluation, and the
/// evidence it names (results, comparison, report, policy) is hashed again, so anything changed since is named.
/// </summary>
public sealed record GateFile(string Path, JsonNode Root, GateEvaluation Evaluation, string VerdictSha256, string PolicyPath, string RunDirectory, string? ComparisonPath)
{
    public static GateFile Read(string path)
    {
        var root = RunEvidence.ReadJson(path);
        GateVerdict? verdict;
        try
        {
            verdict = root.Deserialize<GateVerdict>(Output.ResultsJson.Indented);
        }
        catch (JsonException ex)
        {
            throw new InputException($"not a gate verdict: {ex.Message}", path, (ex.LineNumber ?? 0) + 1);
        }

        if (verdict?.Evaluation is null || string.IsNullOrEmpty(verdict.VerdictSha256))
        {
            throw new InputException("not a gate verdict (no evaluation or verdict_sha256)", path);
        }

        return new GateFile(path, root, verdict.Evaluation, verdict.VerdictSha256, verdict.PolicyPath, verdict.RunDirectory, verdict.ComparisonPath);
    }

    /// <summary>
    /// What no longer matches: gate.json edited, or a file it judged changed since. Empty when all match. The run's
    /// files are looked for in <paramref name="runDirectory"/> (the run folder may have moved since it was gated),
    /// the policy at <paramref name="policyPath"/> when given, else where the gate read it.
    /// </summary>
    public IReadOnlyList<string> Changes(string runDirectory, string? policyPath = null)
    {
        var recordedRun = RunDirectory;
        var policy = policyPath is null ? PolicyPath : System.IO.Path.GetFullPath(policyPath);
        var changes = new List<string>();
        if (GateVerdict.Digest(Root["evaluation"]) != VerdictSha256)
        {
            changes.Add($"{Evidence.Gate} was edited after the gate wrote it (its evaluation no longer matches verdict_sha256)");
        }

        var results = System.IO.Path.Combine(runDirectory, Evidence.Results);
        if (Evidence.FileSha256OrNull(results) != Evaluation.ResultsSha256)
        {
            changes.Add($"{Evidence.Results} changed after the gate evaluated it ({results})");
        }

        var comparison = ComparisonPath is not null && System.IO.Path.GetDirectoryName(ComparisonPath) == recordedRun.TrimEnd(System.IO.Path.DirectorySeparatorChar)
            ? System.IO.Path.Combine(runDirectory, Evidence.Comparison)
            : ComparisonPath;
        if ((comparison is null ? null : Evidence.FileSha256OrNull(comparison)) != Evaluation.ComparisonSha256)
        {
            changes.Add($"{Evidence.Comparison} changed after the gate evaluated it ({comparison ?? "none now"})");
        }

        if (Evidence.ReportSha256(runDirectory) != Evaluation.ReportSha256)
        {
            changes.Add($"{Evidence.Report} changed after the gate evaluated it (re-rendered or edited): signatures on the old report do not cover it");
        }

        if (!File.Exists(policy))
        {
            changes.Add($"the policy {policy} is no longer there, so it cannot be checked (pass --policy with where it is now)");
        }
        else if (Evidence.FileSha256(policy) != Evaluation.PolicySha256)
        {
            changes.Add($"the policy {policy} changed after the gate evaluated the run");
        }

        return changes;
    }
}
