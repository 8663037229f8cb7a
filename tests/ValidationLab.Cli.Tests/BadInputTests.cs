using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>Every mistake in the user's input: exit 2, one message naming the file (and line/field), no stack trace, nothing written.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Out => _dir.Combine("out");

    private async Task<CliResult> AssertBadInput(string[] args, params string[] mentions)
    {
        // Every input file the test wrote is in _dir; nothing else may appear there.
        var before = _dir.Entries();
        var result = await CliRunner.RunAsync(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.Stderr, StringComparison.Ordinal);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, result.Stderr, StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(Out), "the out folder was created");
        Assert.Equal(before, _dir.Entries());
        return result;
    }

    private async Task AssertOneMessage(string[] args, params string[] mentions)
    {
        var result = await AssertBadInput(args, mentions);
        Assert.True(result.ErrorLines.Length == 1, result.ToString());
        Assert.StartsWith("error: ", result.ErrorLines[0], StringComparison.Ordinal);
    }

    private string[] RunOn(string data, params string[] extra) => ["run", "--suite", "medqa", "--data", data, .. extra, "--out", Out];

    [Fact]
    public async Task Should_Exit_2_When_The_Data_File_Is_Missing()
    {
        // Given
        var data = _dir.Combine("missing.jsonl");

        // When / Then
        await AssertOneMessage(RunOn(data), data, "not found");
    }

    [Fact]
    public async Task Should_Exit_2_With_File_And_Line_When_A_Json_Line_Is_Malformed()
    {
        // Given: line 2 is cut short
        var lines = MedQaFiles.FixtureLines.Take(3).ToList();
        lines[1] = lines[1][..40];
        var data = _dir.WriteLines("bad.jsonl", lines);

        // When / Then
        await AssertOneMessage(RunOn(data), $"{data}:2:", "JSON");
    }

    [Fact]
    public async Task Should_Exit_2_When_Answer_Idx_Is_Missing()
    {
        // Given
        var objects = MedQaFiles.Objects(3);
        objects[2].Remove("answer_idx");
        var data = _dir.WriteLines("bad.jsonl", MedQaFiles.Lines(objects));

        // When / Then
        await AssertOneMessage(RunOn(data), $"{data}:3:", "answer_idx");
    }

    [Fact]
    public async Task Should_Exit_2_When_Answer_Idx_Is_Not_Among_The_Options()
    {
        // Given
        var objects = MedQaFiles.Objects(3);
        objects[1]["answer_idx"] = "F";
        var data = _dir.WriteLines("bad.jsonl", MedQaFiles.Lines(objects));

        // When / Then
        await AssertOneMessage(RunOn(data), $"{data}:2:", "answer_idx", "'F'");
    }

    [Fact]
    public async Task Should_Exit_2_When_Item_Ids_Are_Duplicated()
    {
        // Given: line 3 reuses the id of line 1
        var objects = MedQaFiles.Objects(3);
        objects[2]["realidx"] = objects[0]["realidx"]!.DeepClone();
        var data = _dir.WriteLines("bad.jsonl", MedQaFiles.Lines(objects));

        // When / Then
        await AssertOneMessage(RunOn(data), $"{data}:3:", "duplicate", "line 1");
    }

    [Fact]
    public async Task Should_Exit_2_When_An_Item_Has_Two_Predictions()
    {
        // Given: the first question is answered on lines 2 and 4
        var (id, gold, _) = MedQaFiles.Questions[0];
        var predictions = _dir.WriteLines("p.csv", ["item_id,response", $"{id},{gold}", $"{MedQaFiles.Questions[1].Id},A", $"{id},B"]);

        // When / Then
        await AssertOneMessage(RunOn(RepoPaths.MedQaFixture, "--predictions", predictions), $"{predictions}:4:", "line 2");
    }

    [Fact]
    public async Task Should_Exit_2_When_The_Suite_Is_Unknown()
    {
        // Given / When / Then
        await AssertOneMessage(["run", "--suite", "medqb", "--data", RepoPaths.MedQaFixture, "--out", Out], "'medqb'", "medqa");
    }

    [Fact]
    public async Task Should_Exit_2_When_The_Runner_Is_Unknown()
    {
        // Given / When / Then
        await AssertOneMessage(RunOn(RepoPaths.MedQaFixture, "--runner", "gpt5"), "'gpt5'", "baseline", "replay");
    }

    [Fact]
    public async Task Should_Exit_2_With_File_And_Line_When_A_Config_Key_Is_Unknown()
    {
        // Given: the unknown key is on line 2
        var config = _dir.Write("run.yaml", $"seed: 1\ncolour: blue\nrunner: baseline\nsuites:\n  - name: medqa\n    data: {RepoPaths.MedQaFixture}\n");

        // When / Then
        await AssertOneMessage(["run", "--config", config, "--out", Out], $"{config}:2:", "colour");
    }

    [Fact]
    public async Task Should_Exit_2_When_The_Config_Has_An_Unterminated_Flow_Sequence()
    {
        // Given
        var config = _dir.Write("run.yaml", "seed: 1\nrunner: [baseline\nsuites: x\n");

        // When / Then
        await AssertOneMessage(["run", "--config", config, "--out", Out], config, "YAML");
    }

    [Fact]
    public async Task Should_Exit_2_When_A_Flag_Is_Unknown()
    {
        // Given / When
        var result = await AssertBadInput(["run", "--colour", "blue", "--out", Out], "--colour");

        // Then
        Assert.StartsWith("error: ", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("--help", result.ErrorLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Exit_2_When_The_Replay_Runner_Is_Asked_For_Loglikelihood_Mode()
    {
        // Given
        var predictions = _dir.WriteLines("p.csv", ["item_id,response", "0,A"]);

        // When / Then
        await AssertOneMessage(RunOn(RepoPaths.MedQaFixture, "--predictions", predictions, "--mode", "loglikelihood"), "replay", "loglikelihood");
    }

    [Fact]
    public async Task Should_Exit_2_When_Config_Is_Combined_With_Suite()
    {
        // Given
        var config = _dir.Write("run.yaml", $"runner: baseline\nsuites:\n  - name: medqa\n    data: {RepoPaths.MedQaFixture}\n");

        // When / Then
        await AssertOneMessage(["run", "--config", config, "--suite", "medqa", "--out", Out], "--config", "--suite");
    }

    [Fact]
    public async Task Should_Exit_2_When_Out_Names_A_Folder_With_Other_Files()
    {
        // Given
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "notes.txt"), "keep me");

        // When
        var result = await CliRunner.RunAsync("run", "--out", Out);

        // Then
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--out", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(Out).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Should_Exit_2_When_Compare_Is_Given_A_Folder_That_Is_Not_A_Run()
    {
        // Given
        Directory.CreateDirectory(_dir.Combine("empty"));

        // When
        var result = await CliRunner.RunAsync("compare", "--baseline", _dir.Combine("empty"), "--candidate", _dir.Combine("empty"), "--out", Out);

        // Then
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("results.json", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out));
    }

    [Theory]
    [InlineData("--seed", "notanumber", "--seed: 'notanumber' is not a whole number")]
    [InlineData("--limit", "ten", "--limit: 'ten' is not a whole number")]
    [InlineData("--max-error-rate", "2%", "--max-error-rate: '2%' is not a number")]
    public async Task Should_Say_In_Plain_Words_When_A_Number_Flag_Is_Not_A_Number(string flag, string value, string message)
    {
        // Given: issue 7 — `--seed notanumber` printed System.Nullable`1[System.Int32]
        // When
        var result = await AssertBadInput(["run", flag, value, "--out", Out], message);

        // Then
        Assert.DoesNotContain("System.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_List_The_Values_Present_When_A_Replay_Filter_Matches_No_Row()
    {
        // Given: a mistyped model name
        var predictions = _dir.WriteLines("preds.csv", ["item_id,response,model", "1,A,gpt-4o", "1,B,gpt-4o-mini"]);

        // When / Then
        await AssertOneMessage(RunOn(RepoPaths.MedQaFixture, "--predictions", predictions, "--runner-option", "filter.model=gpt-4x"),
            "no row has model = 'gpt-4x'", "gpt-4o, gpt-4o-mini", "filter.model");
    }

    [Fact]
    public async Task Should_Exit_2_Before_Any_Call_When_Out_Lies_Under_A_File()
    {
        // Given: tests run as root, so a path under a regular file is the place no one can write
        var file = _dir.Write("somefile", "a file");

        // When
        var result = await CliRunner.RunAsync(RunOn(RepoPaths.MedQaFixture)[..^1].Append(Path.Combine(file, "sub")).ToArray());

        // Then
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("is a file", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["somefile"], _dir.Entries());
    }
}
