namespace ValidationLab.Governance;

/// <summary>
/// Whether every required role approved exactly this evidence. For each role the latest record of that role binding
/// the current evidence decides (approve / reject / conditional); a role whose records all bind other files is
/// <c>stale</c>, and the message says which file changed since.
/// </summary>
public static class SignoffEvaluator
{
    public static SignoffState Evaluate(IReadOnlyList<string> requiredRoles, IReadOnlyList<SignoffRecord> records, GateEvaluation current, string currentDigest, IReadOnlyList<string> auditProblems)
    {
        ArgumentNullException.ThrowIfNull(requiredRoles);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(current);
        var roles = new List<RoleState>();
        foreach (var role in requiredRoles)
        {
            var mine = records.Where(r => r.Role == role && r.RunId == current.RunId).ToList();
            var binding = mine.LastOrDefault(r => r.GateSha256 == currentDigest);
            if (binding is not null)
            {
                roles.Add(binding.Decision switch
                {
                    SignoffDecision.Approve => new RoleState(role, "approved", binding.Signer, binding.SignedUtc, $"approved this evidence: {binding.Comment}"),
                    SignoffDecision.Reject => new RoleState(role, "rejected", binding.Signer, binding.SignedUtc, $"rejected: {binding.Comment}"),
                    _ => new RoleState(role, "conditional", binding.Signer, binding.SignedUtc, $"conditional, not an approval: {binding.Comment}"),
                });
                continue;
            }

            if (mine.LastOrDefault() is { } old)
            {
                roles.Add(new RoleState(role, "stale", old.Signer, old.SignedUtc, $"signed other evidence; changed since: {string.Join(", ", Changed(old, current))}; a new signature is needed"));
                continue;
            }

            roles.Add(new RoleState(role, "missing", null, null, "no sign-off for this run"));
        }

        var complete = auditProblems.Count == 0 && roles.All(r => r.State == "approved");
        return new SignoffState(requiredRoles, roles, complete, auditProblems);
    }

    /// <summary>Which evidence differs between what a record bound and what is current.</summary>
    public static IReadOnlyList<string> Changed(SignoffRecord record, GateEvaluation current)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(current);
        var changed = new List<string>();
        if (record.ReportSha256 != current.ReportSha256)
        {
            changed.Add(Evidence.Report);
        }

        if (record.ResultsSha256 != current.ResultsSha256)
        {
            changed.Add(Evidence.Results);
        }

        if (record.ComparisonSha256 != current.ComparisonSha256)
        {
            changed.Add(Evidence.Comparison);
        }

        if (record.PolicySha256 != current.PolicySha256)
        {
            changed.Add("the policy");
        }

        if (changed.Count == 0)
        {
            changed.Add("the gate verdict");
        }

        return changed;
    }
}
