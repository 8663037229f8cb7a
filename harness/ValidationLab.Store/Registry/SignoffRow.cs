namespace ValidationLab.Store;

/// <summary>
/// A sign-off record as the store keeps it (table <c>signoffs</c>, one column per field so that a reviewer can read
/// it with any SQLite tool). The hash chain is computed and verified by ValidationLab.Governance; the store only
/// appends and reads, in insertion order.
/// </summary>
public sealed record SignoffRow(
    string RunId,
    long Seq,
    string SignedUtc,
    string Signer,
    string Role,
    string Decision,
    string Meaning,
    string Comment,
    string? ReportSha256,
    string ResultsSha256,
    string? ComparisonSha256,
    string GateSha256,
    string PolicySha256,
    string PrevHash,
    string RecordHash);
