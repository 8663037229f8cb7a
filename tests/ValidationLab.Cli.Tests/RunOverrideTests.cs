using System.Security.Cryptography;
using System.Text.Json;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// Issue 7: every flag that overrides a config-file value changes what the run does and what its files record —
/// `--seed 1` used to be recorded while suites and runners still used the file's seed.
/// </summary>
public sealed class RunOverrideTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>k-shot MedQA answered by the random baseline: the seed decides the exemplars and the answers.</summary>
    private string BaselineConfig() => _dir.Write("run.yaml", $"""
        seed: 7
        out: from-file
        runner:
          name: baseline
          model: random
        suites:
          - name: medqa
            data: {RepoPaths.MedQaFixture}
            mode: generate
            shots: 3
            exemplars: {Path.Combine(RepoPaths.Root, "fixtures", "medqa", "exemplars.jsonl")}
        """);

    /// <summary>Replayed answers missing for 3 items: errors that max_error_rate can judge.</summary>
    private string ReplayConfig()
    {
        var rows = new List<string> { "item_id,response" };
        rows.AddRange(MedQaFiles.Questions.Skip(3).Select(q => $"{q.Id},The answer is ({q.Gold})."));
        var predictions = _dir.WriteLines("preds.csv", rows);
        return _dir.Write("replay.yaml", $"""
            seed: 7
            out: from-file
            max_error_rate: 1
            runner:
              name: replay
              predictions: {predictions}
            suites:
              - name: medqa
                data: {RepoPaths.MedQaFixture}
            """);
    }

    [Theory]
    [InlineData("--seed")]
    [InlineData("--limit")]
    [InlineData("--limit --sample")]
    [InlineData("--max-error-rate")]
    [InlineData("--out")]
    public async Task Should_Change_Behaviour_And_Record_When_A_Flag_Overrides_The_Config(string flag)
    {
        // Given: the config file alone, then the same file with the flag
        var config = flag == "--max-error-rate" ? ReplayConfig() : BaselineConfig();
        var fileOut = _dir.Combine("from-file");
        var baseRun = await CliRunner.RunAsync("run", "--config", config);
        Assert.True(baseRun.ExitCode == 0, baseRun.ToString());
        var flagOut = _dir.Combine("with-flag");
        string[] extra = flag switch
        {
            "--seed" => ["--seed", "2"],
            "--limit" => ["--limit", "5"],
            "--limit --sample" => ["--limit", "5", "--sample"],
            "--max-error-rate" => ["--max-error-rate", "0.01"],
            _ => [],
        };

        // When
        var flagged = await CliRunner.RunAsync(["run", "--config", config, .. extra, "--out", flagOut]);

        // Then: each run's config.yaml is what its config_sha256 hashes
        var before = Manifest(fileOut);
        var after = Manifest(flagOut);
        Assert.Equal(Sha256(Path.Combine(fileOut, "config.yaml")), before.GetProperty("config_sha256").GetString());
        Assert.Equal(Sha256(Path.Combine(flagOut, "config.yaml")), after.GetProperty("config_sha256").GetString());
        var items = File.ReadAllLines(Path.Combine(flagOut, "items.jsonl"));
        var baseItems = File.ReadAllLines(Path.Combine(fileOut, "items.jsonl"));
        switch (flag)
        {
            case "--seed":
                Assert.True(flagged.ExitCode == 0, flagged.ToString());
                Assert.NotEqual(baseItems, items);
                Assert.NotEqual(PromptHashes(baseItems), PromptHashes(items));
                Assert.Equal((7, 2), (before.GetProperty("seed").GetInt32(), after.GetProperty("seed").GetInt32()));
                Assert.Contains("seed: 2\n", File.ReadAllText(Path.Combine(flagOut, "config.yaml")), StringComparison.Ordinal);
                break;
            case "--limit":
            case "--limit --sample":
                var sampled = flag.EndsWith("--sample", StringComparison.Ordinal);
                Assert.True(flagged.ExitCode == 0, flagged.ToString());
                Assert.Equal(MedQaFiles.Questions.Count, baseItems.Length);
                Assert.Equal(5, items.Length);
                var firstFive = MedQaFiles.Questions.Take(5).Select(q => q.Id).ToList();
                var ids = items.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("item_id").GetString()).ToList();
                Assert.Equal(!sampled, firstFive.SequenceEqual(ids));
                Assert.Equal(JsonValueKind.Null, before.GetProperty("limit").ValueKind);
                var limit = after.GetProperty("limit");
                Assert.Equal((5, sampled, 7), (limit.GetProperty("count").GetInt32(), limit.GetProperty("sampled").GetBoolean(), limit.GetProperty("seed").GetInt32()));
                break;
            case "--max-error-rate":
                Assert.True(flagged.ExitCode == 3, flagged.ToString());
                Assert.Contains("max_error_rate", flagged.Stderr, StringComparison.Ordinal);
                Assert.Contains("max_error_rate: 0.01\n", File.ReadAllText(Path.Combine(flagOut, "config.yaml")), StringComparison.Ordinal);
                break;
            default:
                // --out decides where the files go, not what is asked or scored: it is not part of the hashed
                // configuration, so the same settings written elsewhere keep the same config_sha256.
                Assert.True(flagged.ExitCode == 0, flagged.ToString());
                Assert.Equal(baseItems, items);
                Assert.Equal(before.GetProperty("config_sha256").GetString(), after.GetProperty("config_sha256").GetString());
                break;
        }

        if (flag != "--out")
        {
            Assert.NotEqual(before.GetProperty("config_sha256").GetString(), after.GetProperty("config_sha256").GetString());
        }
    }

    [Fact]
    public async Task Should_Record_Data_Files_As_The_User_Named_Them()
    {
        // Given: the fixture named by a relative path, as a user would type it
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), RepoPaths.MedQaFixture);

        // When
        var result = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", relative, "--out", _dir.Combine("out"));
        Assert.True(result.ExitCode == 0, result.ToString());
        var manifest = Manifest(_dir.Combine("out"));

        // Then
        Assert.Equal([relative], manifest.GetProperty("data_files").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Should_Record_The_Repository_Fixture_Not_The_Build_Output_Copy_For_The_Embedded_Default()
    {
        // When
        var result = await CliRunner.RunAsync("run", "--out", _dir.Combine("out"));

        // Then
        Assert.True(result.ExitCode == 0, result.ToString());
        var files = Manifest(_dir.Combine("out")).GetProperty("data_files").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("fixtures/medqa/medqa-fixture.jsonl", files);
        Assert.DoesNotContain(files, f => f.Contains("bin", StringComparison.Ordinal));
    }

    private static JsonElement Manifest(string dir) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json"))).RootElement.GetProperty("manifest").Clone();

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static List<string?> PromptHashes(IEnumerable<string> lines) =>
        lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prompt_hash").GetString()).ToList();
}
