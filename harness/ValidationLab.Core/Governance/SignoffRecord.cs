using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValidationLab.Governance;

/// <summary>
/// One sign-off: who (name, role), when (UTC), what it means (a fixed sentence per decision), and exactly what was
/// read (SHA-256 of the report, results, comparison, the gate verdict and the policy). Records of a run form a hash
/// chain: <see cref="RecordHash"/> is the SHA-256 of the canonical JSON of every other field, including
/// <see cref="PrevHash"/>, the previous record's hash (<see cref="Genesis"/> for the first).
/// </summary>
public sealed record SignoffRecord
{
    public const string Format = "validationlab.signoff/1";

    public static readonly string Genesis = new('0', 64);

    public required string RunId { get; init; }

    /// <summary>0-based position in the run's chain.</summary>
    public required long Seq { get; init; }

    /// <summary>ISO 8601 UTC, to the second: <c>2026-12-03T10:15:00Z</c>.</summary>
    public required string SignedUtc { get; init; }

    public required string Signer { get; init; }

    public required string Role { get; init; }

    public required string Decision { get; init; }

    public required string Meaning { get; init; }

    public required string Comment { get; init; }

    public required string? ReportSha256 { get; init; }

    public required string ResultsSha256 { get; init; }

    public required string? ComparisonSha256 { get; init; }

    /// <summary>The gate verdict's digest (gate.json <c>verdict_sha256</c>).</summary>
    public required string GateSha256 { get; init; }

    public required string PolicySha256 { get; init; }

    public required string PrevHash { get; init; }

    public string RecordHash { get; init; } = "";

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Every field but the record hash, as hashed.</summary>
    public JsonObject Content() => new()
    {
        ["format"] = Format,
        ["run_id"] = RunId,
        ["seq"] = Seq,
        ["signed_utc"] = SignedUtc,
        ["signer"] = Signer,
        ["role"] = Role,
        ["decision"] = Decision,
        ["meaning"] = Meaning,
        ["comment"] = Comment,
        ["report_sha256"] = ReportSha256,
        ["results_sha256"] = ResultsSha256,
        ["comparison_sha256"] = ComparisonSha256,
        ["gate_sha256"] = GateSha256,
        ["policy_sha256"] = PolicySha256,
        ["prev_hash"] = PrevHash,
    };

    public string ComputeHash() => CanonicalJson.Sha256(Content());

    /// <summary>This record, sealed: its hash computed.</summary>
    public SignoffRecord Sealed() => this with { RecordHash = ComputeHash() };

    /// <summary>One line of signoffs.jsonl: the canonical content plus <c>record_hash</c>.</summary>
    public string ToJsonLine()
    {
        var o = Content();
        o["record_hash"] = RecordHash;
        return CanonicalJson.Serialize(o);
    }

    /// <summary>Reads a line of signoffs.jsonl; null with <paramref name="error"/> when it is not a record.</summary>
    public static SignoffRecord? FromJsonLine(string line, out string? error)
    {
        error = null;
        try
        {
            var o = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not an object");
            string? S(string k) => o[k] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            string R(string k) => S(k) ?? throw new JsonException($"'{k}' is missing");
            return new SignoffRecord
            {
                RunId = R("run_id"),
                Seq = o["seq"]?.GetValue<long>() ?? throw new JsonException("'seq' is missing"),
                SignedUtc = R("signed_utc"),
                Signer = R("signer"),
                Role = R("role"),
                Decision = R("decision"),
                Meaning = R("meaning"),
                Comment = R("comment"),
                ReportSha256 = S("report_sha256"),
                ResultsSha256 = R("results_sha256"),
                ComparisonSha256 = S("comparison_sha256"),
                GateSha256 = R("gate_sha256"),
                PolicySha256 = R("policy_sha256"),
                PrevHash = R("prev_hash"),
                RecordHash = R("record_hash"),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            error = ex.Message;
            return null;
        }
    }

    /// <summary>"record 2 (Dr Ada Lovelace, clinical_reviewer, approve)".</summary>
    public string Label => $"record {Seq.ToString(CultureInfo.InvariantCulture)} ({Signer}, {Role}, {Decision})";

    /// <summary>The fields whose values differ between two copies of a record, as "field: 'a' vs 'b'".</summary>
    public static IReadOnlyList<string> Differences(SignoffRecord a, SignoffRecord b, string aName, string bName)
    {
        var x = a.Content();
        x["record_hash"] = a.RecordHash;
        var y = b.Content();
        y["record_hash"] = b.RecordHash;
        return x.Select(p => p.Key)
            .Where(k => x[k]?.ToJsonString() != y[k]?.ToJsonString())
            .Select(k => $"{k}: {aName} {x[k]?.ToJsonString() ?? "null"}, {bName} {y[k]?.ToJsonString() ?? "null"}")
            .ToList();
    }
}
