using System.Text.Json;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>compare pairs only the same questions: different data or limits are refused unless the user allows them.</summary>
public sealed class CompareDataCheckTests : IDisposable
{
    private const int N = 10;

    private static readonly bool[] BaselineCorrect = [true, true, false, true, false, true, true, true, false, true];

    private static readonly bool[] CandidateCorrect = [true, false, true, true, true, true, false, true, true, true];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The same file name in two folders; the second has item 3's gold answer changed from A to C.</summary>
    private (string Same, string Changed) TwoDataFiles()
    {
        Directory.CreateDirectory(_dir.Combine("v1"));
        Directory.CreateDirectory(_dir.Combine("v2"));
        var same = CompareRuns.WriteQuestions(_dir, Path.Combine("v1", "questions.jsonl"), N);
        var changed = CompareRuns.WriteQuestions(_dir, Path.Combine("v2", "questions.jsonl"), N, gold: i => i == 3 ? "C" : "A");
        return (same, changed);
    }

    [Fact]
    public async Task Should_Refuse_Runs_Over_Different_Data_Naming_The_File_And_Writing_Nothing()
    {
        // Given
        var (v1, v2) = TwoDataFiles();
        var baseline = await CompareRuns.RunAsync(_dir, "baseline", v1, BaselineCorrect);
        var candidate = await CompareRuns.RunAsync(_dir, "candidate", v2, CandidateCorrect);
        var outDir = _dir.Combine("cmp");

        // When
        var result = await CliRunner.RunAsync("compare", "--baseline", baseline, "--candidate", candidate, "--out", outDir);

        // Then: one message, naming the file and the flag; no comparison.json
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("data file 'questions.jsonl' differs", line, StringComparison.Ordinal);
        Assert.Contains("--allow-different-data", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(outDir, "comparison.json")));
    }

    [Fact]
    public async Task Should_Pair_Only_The_Same_Questions_When_Different_Data_Is_Allowed_And_Say_So()
    {
        // Given: item 3's gold differs between the two data files
        var (v1, v2) = TwoDataFiles();
        var baseline = await CompareRuns.RunAsync(_dir, "baseline", v1, BaselineCorrect);
        var candidate = await CompareRuns.RunAsync(_dir, "candidate", v2, CandidateCorrect);

        // When
        var (cli, json) = await CompareRuns.CompareAsync(_dir, baseline, candidate, "--allow-different-data", "--resamples", "200");

        // Then
        var suite = json.GetProperty("suites").GetProperty("medqa");
        Assert.Equal(N - 1, suite.GetProperty("paired_items").GetInt32());
        Assert.Equal(1, suite.GetProperty("mismatched").GetInt32());
        Assert.Equal(0, suite.GetProperty("only_in_baseline").GetInt32());
        Assert.Equal(0, suite.GetProperty("only_in_candidate").GetInt32());
        var differences = json.GetProperty("data_differences").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Equal(2, differences.Count);
        Assert.Contains("data file 'questions.jsonl' differs", differences[0], StringComparison.Ordinal);
        Assert.Equal("suite 'medqa': item '3' is not the same question: gold answer 'A' in the baseline, 'C' in the candidate", differences[1]);
        Assert.Contains("medqa: paired 9, only in baseline 0, only in candidate 0, mismatched 1", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("data differ in 2 way(s)", cli.Stdout, StringComparison.Ordinal);

        // Item 3 (baseline wrong, candidate "right" against another gold) is not among the improvements.
        Assert.DoesNotContain(suite.GetProperty("improvements").EnumerateArray(), i => i.GetProperty("item_id").GetString() == "3");
    }

    [Fact]
    public async Task Should_Refuse_A_Limited_Run_Against_A_Full_One_Unless_Told()
    {
        // Given: the baseline ran the first 5 items only (as `run --limit 5` records it: count, not sampled, the run seed)
        var data = CompareRuns.WriteQuestions(_dir, "questions.jsonl", N);
        var baseline = await CompareRuns.RunAsync(_dir, "baseline", data, BaselineCorrect);
        var candidate = await CompareRuns.RunAsync(_dir, "candidate", data, CandidateCorrect);
        var items = Path.Combine(baseline, "items.jsonl");
        File.WriteAllLines(items, File.ReadAllLines(items).Take(5));
        CompareRuns.SetLimit(baseline, 5, sampled: false, seed: 0);

        // When
        var refused = await CliRunner.RunAsync("compare", "--baseline", baseline, "--candidate", candidate);
        var dataFlagOnly = await CliRunner.RunAsync("compare", "--baseline", baseline, "--candidate", candidate, "--allow-different-data", "--resamples", "200");
        var (cli, json) = await CompareRuns.CompareAsync(_dir, baseline, candidate, "--allow-different-limit", "--resamples", "200");

        // Then
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("the baseline is limited to the first 5 items and the candidate is a full run", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("--allow-different-limit", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, dataFlagOnly.ExitCode);
        var suite = json.GetProperty("suites").GetProperty("medqa");
        Assert.Equal(5, suite.GetProperty("paired_items").GetInt32());
        Assert.Equal(5, suite.GetProperty("only_in_candidate").GetInt32());
        Assert.Equal(5, json.GetProperty("baseline").GetProperty("limit").GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("candidate").GetProperty("limit").ValueKind);
        Assert.Contains("medqa: paired 5, only in baseline 0, only in candidate 5", cli.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Refuse_Two_Different_Samples()
    {
        // Given: both runs are seeded samples of 10, with different seeds
        var data = CompareRuns.WriteQuestions(_dir, "questions.jsonl", N);
        var baseline = await CompareRuns.RunAsync(_dir, "baseline", data, BaselineCorrect);
        var candidate = await CompareRuns.RunAsync(_dir, "candidate", data, CandidateCorrect);
        CompareRuns.SetLimit(baseline, N, sampled: true, seed: 1);
        CompareRuns.SetLimit(candidate, N, sampled: true, seed: 2);

        // When
        var result = await CliRunner.RunAsync("compare", "--baseline", baseline, "--candidate", candidate);

        // Then
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a sample of 10 items (seed 1)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("a sample of 10 items (seed 2)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Name_A_Malformed_Limit_With_File_And_Field()
    {
        // Given
        var data = CompareRuns.WriteQuestions(_dir, "questions.jsonl", N);
        var baseline = await CompareRuns.RunAsync(_dir, "baseline", data, BaselineCorrect);
        var path = Path.Combine(baseline, "results.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"manifest\": {", "\"manifest\": { \"limit\": \"five\",", StringComparison.Ordinal));

        // When
        var result = await CliRunner.RunAsync("compare", "--baseline", baseline, "--candidate", baseline);

        // Then
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("results.json", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("manifest.limit", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Say_When_A_Run_Is_Compared_With_Itself()
    {
        // Given
        var data = CompareRuns.WriteQuestions(_dir, "questions.jsonl", N);
        var run = await CompareRuns.RunAsync(_dir, "run", data, BaselineCorrect);

        // When
        var (cli, json) = await CompareRuns.CompareAsync(_dir, run, run, "--resamples", "200");

        // Then: a warning, not an error
        Assert.True(json.GetProperty("same_run").GetBoolean());
        var warning = Assert.Single(json.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.Contains("are the same run", warning, StringComparison.Ordinal);
        Assert.Contains("Warning:", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("are the same run", cli.Stdout, StringComparison.Ordinal);
        Assert.Equal(0.0, json.GetProperty("suites").GetProperty("medqa").GetProperty("metrics").GetProperty("accuracy").GetProperty("difference").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Should_Say_When_Two_Runs_Gave_Identical_Responses()
    {
        // Given: two runs (two run ids) replaying the same answers
        var data = CompareRuns.WriteQuestions(_dir, "questions.jsonl", N);
        var first = await CompareRuns.RunAsync(_dir, "first", data, BaselineCorrect);
        var second = await CompareRuns.RunAsync(_dir, "second", data, BaselineCorrect);

        // When
        var (_, json) = await CompareRuns.CompareAsync(_dir, first, second, "--resamples", "200");

        // Then
        Assert.True(json.GetProperty("same_run").GetBoolean());
        Assert.Contains("identical responses to every item", Assert.Single(json.GetProperty("warnings").EnumerateArray()).GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Not_Warn_When_The_Runs_Differ()
    {
        // Given
        var data = CompareRuns.WriteQuestions(_dir, "questions.jsonl", N);
        var baseline = await CompareRuns.RunAsync(_dir, "baseline", data, BaselineCorrect);
        var candidate = await CompareRuns.RunAsync(_dir, "candidate", data, CandidateCorrect);

        // When
        var (cli, json) = await CompareRuns.CompareAsync(_dir, baseline, candidate, "--resamples", "200");

        // Then
        Assert.False(json.GetProperty("same_run").GetBoolean());
        Assert.Empty(json.GetProperty("warnings").EnumerateArray());
        Assert.DoesNotContain("Warning:", cli.Stdout, StringComparison.Ordinal);
        Assert.Equal(N, json.GetProperty("suites").GetProperty("medqa").GetProperty("paired_items").GetInt32());
    }
}
