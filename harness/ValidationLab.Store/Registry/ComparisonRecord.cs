using System.Security.Cryptography;

namespace ValidationLab.Store;

/// <summary>A comparison of a candidate run against a baseline run (table <c>registry_comparisons</c>), with the comparison.json it wrote.</summary>
public sealed record ComparisonRecord(string CandidateRunId, string BaselineRunId, DateTimeOffset ComparedUtc, byte[] ComparisonJson)
{
    /// <summary>SHA-256 of <see cref="ComparisonJson"/> (lower-case hex).</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(ComparisonJson));
}
