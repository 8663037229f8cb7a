using System.Security.Cryptography;
using System.Text;

namespace ValidationLab.Governance;

/// <summary>
/// The files of a run that a gate verdict and a sign-off are bound to, and how each is fingerprinted (SHA-256).
/// </summary>
public static class Evidence
{
    public const string Results = "results.json";
    public const string Comparison = "comparison.json";
    public const string Report = "report.html";
    public const string Gate = "gate.json";
    public const string GateHistory = "gate-history.jsonl";
    public const string Signoffs = "signoffs.jsonl";

    /// <summary>
    /// Where the report may show the gate verdict and the sign-offs. The region between these markers is left out
    /// of the report's fingerprint: it is rendered from gate.json and signoffs.jsonl, which are verified on their
    /// own, and showing a signature must not invalidate it. Everything else in the report is bound byte for byte.
    /// </summary>
    public const string GovernanceBegin = "<!-- validationlab:governance -->";

    public const string GovernanceEnd = "<!-- /validationlab:governance -->";

    public static string FileSha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public static string? FileSha256OrNull(string path) => File.Exists(path) ? FileSha256(path) : null;

    /// <summary>
    /// SHA-256 of report.html without its governance region (see <see cref="GovernanceBegin"/>); of the whole file
    /// when it has no region, or more than one, or the markers are out of order (anything unusual binds every byte).
    /// </summary>
    public static string? ReportSha256(string runDirectory)
    {
        var path = Path.Combine(runDirectory, Report);
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = File.ReadAllBytes(path);
        var text = Encoding.UTF8.GetString(bytes);
        var begin = text.IndexOf(GovernanceBegin, StringComparison.Ordinal);
        var end = text.IndexOf(GovernanceEnd, StringComparison.Ordinal);
        if (begin < 0 || end < begin
            || text.IndexOf(GovernanceBegin, begin + 1, StringComparison.Ordinal) >= 0
            || text.IndexOf(GovernanceEnd, end + 1, StringComparison.Ordinal) >= 0)
        {
            return Convert.ToHexStringLower(SHA256.HashData(bytes));
        }

        var bound = string.Concat(text.AsSpan(0, begin + GovernanceBegin.Length), text.AsSpan(end));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bound)));
    }
}
