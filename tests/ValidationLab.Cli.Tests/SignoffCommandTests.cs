using System.Text.Json.Nodes;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>`validationlab signoff` and what `gate` makes of the signatures (issue 10).</summary>
public sealed class SignoffCommandTests(GateRuns runs) : IClassFixture<GateRuns>, IDisposable
{
    private readonly SignoffSetup _s = new(runs);

    public void Dispose() => _s.Dispose();

    private JsonNode GateJson() => JsonNode.Parse(File.ReadAllText(Path.Combine(_s.Run, "gate.json")))!;

    private Dictionary<string, string> RoleStates() => GateJson()["signoffs"]!["roles"]!.AsArray()
        .ToDictionary(r => r!["role"]!.GetValue<string>(), r => r!["state"]!.GetValue<string>());

    [Fact]
    public async Task Should_Refuse_With_Exit_2_When_The_Run_Has_No_Gate_Verdict()
    {
        // Given: an ungated run

        // When
        var result = await _s.Sign("Dr Ada Lovelace", "clinical_reviewer");

        // Then
        SignoffSetup.Expect(result, 2);
        Assert.Contains("no gate verdict for this run", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_s.Mirror));
    }

    [Fact]
    public async Task Should_Be_Promotable_Only_When_Every_Required_Role_Approved()
    {
        // Given: two of three roles approved
        SignoffSetup.Expect(await _s.Gate(), 4);
        SignoffSetup.Expect(await _s.Sign("Dr Ada Lovelace", "clinical_reviewer"), 0);
        SignoffSetup.Expect(await _s.Sign("Grace Hopper", "ml_lead"), 0);

        // When
        var partial = await _s.Gate();

        // Then
        SignoffSetup.Expect(partial, 4);
        Assert.Equal("signoff_incomplete", GateJson()["verdict"]!.GetValue<string>());
        Assert.Equal("missing", RoleStates()["governance_chair"]);
        Assert.Contains("governance_chair (missing)", partial.Stdout.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);

        // When: the third approves
        SignoffSetup.Expect(await _s.Sign("Dr Mary Seacole", "governance_chair"), 0);
        var complete = await _s.Gate();

        // Then
        SignoffSetup.Expect(complete, 0);
        Assert.Equal("promotable", GateJson()["verdict"]!.GetValue<string>());
        Assert.All(RoleStates().Values, state => Assert.Equal("approved", state));
    }

    [Fact]
    public async Task Should_Record_Who_When_Role_And_The_Meaning_Of_The_Signature_Bound_To_The_Evidence()
    {
        // Given
        SignoffSetup.Expect(await _s.Gate(), 4);
        var gate = GateJson();

        // When
        SignoffSetup.Expect(await _s.Sign("Dr Ada Lovelace", "clinical_reviewer", "conditional", "Only for adult patients."), 0);

        // Then
        var record = JsonNode.Parse(File.ReadAllLines(_s.Mirror).Single())!;
        Assert.Equal("Dr Ada Lovelace", record["signer"]!.GetValue<string>());
        Assert.Equal("clinical_reviewer", record["role"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", record["signed_utc"]!.GetValue<string>());
        Assert.StartsWith("I have reviewed this report", record["meaning"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("only under the conditions stated in my comment", record["meaning"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(gate["verdict_sha256"]!.GetValue<string>(), record["gate_sha256"]!.GetValue<string>());
        Assert.Equal(gate["evaluation"]!["results_sha256"]!.GetValue<string>(), record["results_sha256"]!.GetValue<string>());
        // The report has its governance region (docs/governance.md), so the fingerprint leaves that region out.
        Assert.Equal(ValidationLab.Governance.Evidence.ReportSha256(_s.Run), record["report_sha256"]!.GetValue<string>());
        Assert.NotEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(_s.Run, "report.html")))),
            record["report_sha256"]!.GetValue<string>());
        Assert.Equal(new string('0', 64), record["prev_hash"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("reject", "rejected")]
    [InlineData("conditional", "conditional")]
    public async Task Should_Not_Count_A_Rejection_Or_A_Conditional_Approval(string decision, string state)
    {
        // Given: everyone approved, then the chair changes their mind
        await _s.GateAndSignAllAsync();
        SignoffSetup.Expect(await _s.Sign("Dr Mary Seacole", "governance_chair", decision, "The slice analysis is missing."), 0);

        // When
        var result = await _s.Gate();

        // Then
        SignoffSetup.Expect(result, 4);
        Assert.Equal(state, RoleStates()["governance_chair"]);
    }

    [Fact]
    public async Task Should_Call_Signatures_Stale_When_The_Report_Is_Re_Rendered_With_Other_Content()
    {
        // Given: a promotable run
        await _s.GateAndSignAllAsync();
        SignoffSetup.Expect(await _s.Gate(), 0);

        // When: the report is re-rendered with different bytes
        var report = Path.Combine(_s.Run, "report.html");
        File.WriteAllText(report, File.ReadAllText(report).Replace("</body>", "<p>re-rendered</p></body>", StringComparison.Ordinal));
        var result = await _s.Gate();

        // Then
        SignoffSetup.Expect(result, 4);
        Assert.All(RoleStates().Values, state => Assert.Equal("stale", state));
        Assert.Contains("changed since: report.html", GateJson()["signoffs"]!["roles"]![0]!["why"]!.GetValue<string>(), StringComparison.Ordinal);

        // And: new signatures on the new report make it promotable again
        SignoffSetup.Expect(await _s.Sign("Dr Ada Lovelace", "clinical_reviewer"), 0);
        SignoffSetup.Expect(await _s.Sign("Grace Hopper", "ml_lead"), 0);
        SignoffSetup.Expect(await _s.Sign("Dr Mary Seacole", "governance_chair"), 0);
        SignoffSetup.Expect(await _s.Gate(), 0);
    }

    [Fact]
    public async Task Should_Refuse_To_Sign_Evidence_That_Changed_Since_It_Was_Gated()
    {
        // Given
        SignoffSetup.Expect(await _s.Gate(), 4);
        GateRuns.EditResults(_s.Run, r => r["warnings"] = new JsonArray("edited after gating"));

        // When
        var result = await _s.Sign("Dr Ada Lovelace", "clinical_reviewer");

        // Then
        SignoffSetup.Expect(result, 2);
        Assert.Contains("results.json changed after the gate evaluated it", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_s.Mirror));
    }

    [Fact]
    public async Task Should_Keep_Signatures_Valid_When_Only_The_Reports_Governance_Block_Changes()
    {
        // Given: the report as run wrote it, with its governance block (where it shows verdict and sign-offs), gated and signed
        var report = Path.Combine(_s.Run, "report.html");
        const string NotSigned = "<p class=\"muted\">Not signed: no sign-off has been recorded for this run.</p>";
        Assert.Contains(NotSigned, File.ReadAllText(report), StringComparison.Ordinal);
        await _s.GateAndSignAllAsync();

        // When: the block is re-rendered to show the signatures
        File.WriteAllText(report, File.ReadAllText(report).Replace(NotSigned, "<p>signed by three</p>", StringComparison.Ordinal));
        var result = await _s.Gate();

        // Then
        SignoffSetup.Expect(result, 0);
    }

    [Fact]
    public async Task Should_Exit_2_For_An_Unknown_Decision_Or_A_Bad_Role()
    {
        // Given
        SignoffSetup.Expect(await _s.Gate(), 4);

        // When
        var decision = await _s.Sign("Dr Ada Lovelace", "clinical_reviewer", "maybe");
        var role = await _s.Sign("Dr Ada Lovelace", "Clinical Reviewer");

        // Then
        SignoffSetup.Expect(decision, 2);
        SignoffSetup.Expect(role, 2);
        Assert.Contains("--role", role.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Keep_One_Unbroken_Chain_When_Three_Sign_At_Once()
    {
        // Given
        SignoffSetup.Expect(await _s.Gate(), 4);

        // When
        var results = await Task.WhenAll(
            _s.Sign("Dr Ada Lovelace", "clinical_reviewer"),
            _s.Sign("Grace Hopper", "ml_lead"),
            _s.Sign("Dr Mary Seacole", "governance_chair"));

        // Then
        Assert.All(results, r => SignoffSetup.Expect(r, 0));
        SignoffSetup.Expect(await _s.Verify(), 0);
        Assert.Equal(3, File.ReadAllLines(_s.Mirror).Length);
        SignoffSetup.Expect(await _s.Gate(), 0);
    }
}
