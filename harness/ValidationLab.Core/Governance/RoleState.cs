namespace ValidationLab.Governance;

/// <summary>One required role: <c>approved</c>, <c>missing</c>, <c>stale</c>, <c>rejected</c> or <c>conditional</c>.</summary>
public sealed record RoleState(string Role, string State, string? Signer, string? SignedUtc, string Why);
