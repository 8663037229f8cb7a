using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>`validationlab audit verify`: every edit, reordering or deletion of a sign-off record is found and named (issue 10).</summary>
public sealed class AuditCommandTests(GateRuns runs) : IClassFixture<GateRuns>, IDisposable
{
    private readonly SignoffSetup _s = new(runs);

    public void Dispose() => _s.Dispose();

    private static string Flat(CliResult r) => System.Text.RegularExpressions.Regex.Replace(r.Stdout, @"\s+", " ");

    [Fact]
    public async Task Should_Exit_0_When_The_Chain_And_Evidence_Are_Intact()
    {
        // Given
        await _s.GateAndSignAllAsync();

        // When
        var result = await _s.Verify();

        // Then
        SignoffSetup.Expect(result, 0);
        Assert.Contains("audit trail intact: 3 record(s) checked", Flat(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Refuse_Updates_And_Deletes_In_The_Store_Itself()
    {
        // Given
        await _s.GateAndSignAllAsync();

        // When / Then
        var update = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => _s.Sql("UPDATE signoffs SET comment = 'x'"));
        var delete = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => _s.Sql("DELETE FROM signoffs"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Name_A_Record_Whose_Comment_Was_Edited_In_The_Store()
    {
        // Given
        await _s.GateAndSignAllAsync();
        _s.Sql("DROP TRIGGER signoffs_no_update; UPDATE signoffs SET comment = 'Looks fine.' WHERE seq = 1");

        // When
        var result = await _s.Verify();

        // Then
        SignoffSetup.Expect(result, 5);
        var text = Flat(result);
        Assert.Contains("store: record 1 (Grace Hopper, ml_lead, approve) was edited after it was signed", text, StringComparison.Ordinal);
        Assert.Contains("comment: store \"Looks fine.\", mirror \"Reviewed every section and the flipped items.\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("record 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Name_A_Record_Deleted_From_The_Store()
    {
        // Given
        await _s.GateAndSignAllAsync();
        _s.Sql("DROP TRIGGER signoffs_no_delete; DELETE FROM signoffs WHERE seq = 1");

        // When
        var result = await _s.Verify();

        // Then
        SignoffSetup.Expect(result, 5);
        var text = Flat(result);
        Assert.Contains("store: record 1 is missing (deleted); record 2 (Dr Mary Seacole, governance_chair, approve) no longer follows its predecessor", text, StringComparison.Ordinal);
        Assert.Contains("record 1 (Grace Hopper, ml_lead, approve) is in signoffs.jsonl but not in the store", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Name_Records_Reordered_In_The_Store()
    {
        // Given: the first record moved to the end
        await _s.GateAndSignAllAsync();
        _s.Sql("DROP TRIGGER signoffs_no_update; UPDATE signoffs SET rowid = 1000 WHERE seq = 0");

        // When
        var result = await _s.Verify();

        // Then
        SignoffSetup.Expect(result, 5);
        Assert.Contains("store: the records were reordered: they appear in the order 1, 2, 0", Flat(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Name_A_Record_Edited_In_The_Mirror()
    {
        // Given: the mirror's second record says "reject" instead of "approve"
        await _s.GateAndSignAllAsync();
        var lines = File.ReadAllLines(_s.Mirror);
        lines[1] = lines[1].Replace("\"decision\":\"approve\"", "\"decision\":\"reject\"", StringComparison.Ordinal);
        File.WriteAllLines(_s.Mirror, lines);

        // When
        var result = await _s.Verify();

        // Then
        SignoffSetup.Expect(result, 5);
        var text = Flat(result);
        Assert.Contains("signoffs.jsonl: record 1 (Grace Hopper, ml_lead, reject) was edited after it was signed", text, StringComparison.Ordinal);
        Assert.Contains("decision: store \"approve\", mirror \"reject\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Name_A_Record_Deleted_From_The_Mirror_And_Refuse_New_Signatures()
    {
        // Given
        await _s.GateAndSignAllAsync();
        var lines = File.ReadAllLines(_s.Mirror);
        File.WriteAllLines(_s.Mirror, [lines[0], lines[2]]);

        // When
        var result = await _s.Verify();
        var sign = await _s.Sign("Dr Ada Lovelace", "clinical_reviewer");
        var gate = await _s.Gate();

        // Then
        SignoffSetup.Expect(result, 5);
        Assert.Contains("record 1 (Grace Hopper, ml_lead, approve) is in the store but not in signoffs.jsonl", Flat(result), StringComparison.Ordinal);
        SignoffSetup.Expect(sign, 5);
        SignoffSetup.Expect(gate, 4);
        Assert.Contains("audit trail", Flat(gate), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Name_The_Policy_And_Results_When_They_Changed_After_The_Gate()
    {
        // Given
        await _s.GateAndSignAllAsync();
        File.AppendAllText(_s.PolicyPath, "# a later edit\n");
        GateRuns.EditResults(_s.Run, r => r["warnings"] = new System.Text.Json.Nodes.JsonArray("late"));

        // When
        var result = await _s.Verify();

        // Then
        SignoffSetup.Expect(result, 5);
        var text = Flat(result);
        Assert.Contains($"the policy {_s.PolicyPath} changed after the gate evaluated the run", text, StringComparison.Ordinal);
        Assert.Contains("results.json changed after the gate evaluated it", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Find_The_Newest_Record_Removed_From_Both_Copies_Given_Its_Head_Hash()
    {
        // Given: the head hash printed at the last signature, then that record removed from store and mirror
        await _s.GateAndSignAllAsync();
        var head = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllLines(_s.Mirror)[2])!["record_hash"]!.GetValue<string>();
        _s.Sql("DROP TRIGGER signoffs_no_delete; DELETE FROM signoffs WHERE seq = 2");
        File.WriteAllLines(_s.Mirror, File.ReadAllLines(_s.Mirror).Take(2));

        // When
        var without = await _s.Verify();
        var with = await _s.Verify("--head", head);

        // Then: truncation of both copies is invisible to the chain alone, and found with the kept head hash
        SignoffSetup.Expect(without, 0);
        SignoffSetup.Expect(with, 5);
        Assert.Contains($"no record with hash {head} is in the chain", Flat(with), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Verify_A_Run_Folder_That_Moved_And_A_Policy_Given_Where_It_Is_Now()
    {
        // Given: the signed run and its policy moved elsewhere
        await _s.GateAndSignAllAsync();
        var moved = GateRuns.Copy(_s.Run, _s.Dir, "moved");
        Directory.Delete(_s.Run, recursive: true);
        var policy = _s.Dir.Combine("policies-moved.yaml");
        File.Move(_s.PolicyPath, policy);

        // When
        var lost = await CliRunner.RunAsync("audit", "verify", "--store", _s.Store, "--run", moved);
        var found = await CliRunner.RunAsync("audit", "verify", "--store", _s.Store, "--run", moved, "--policy", policy);

        // Then
        SignoffSetup.Expect(lost, 5);
        Assert.Contains("is no longer there, so it cannot be checked", Flat(lost), StringComparison.Ordinal);
        SignoffSetup.Expect(found, 0);
    }
}
