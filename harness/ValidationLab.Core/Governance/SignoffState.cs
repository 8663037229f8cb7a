namespace ValidationLab.Governance;

/// <summary>Whether every required role approved this exact evidence, and the audit trail's integrity.</summary>
public sealed record SignoffState(IReadOnlyList<string> RequiredRoles, IReadOnlyList<RoleState> Roles, bool Complete, IReadOnlyList<string> AuditProblems);
