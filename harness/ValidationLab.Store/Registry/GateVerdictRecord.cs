using System.Security.Cryptography;

namespace ValidationLab.Store;

/// <summary>A gate verdict on a run (table <c>registry_gate_verdicts</c>), with the gate.json it wrote.</summary>
/// <param name="Verdict">"criteria_not_met", "criteria_met", "signoff_incomplete" or "promotable".</param>
public sealed record GateVerdictRecord(string RunId, DateTimeOffset EvaluatedUtc, string Verdict, bool Promotable, string PolicySha256, byte[] GateJson)
{
    /// <summary>SHA-256 of <see cref="GateJson"/> (lower-case hex).</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(GateJson));
}
