using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>`validationlab gate` through the real command on real runs of the fixtures (issue 10).</summary>
public sealed class GateCommandTests : IClassFixture<GateRuns>, IDisposable
{
    private static readonly string[] GateFiles = ["gate-history.jsonl", "gate.json", "gate.junit.xml", "gate.md"];

    private readonly GateRuns _runs;
    private readonly TempDir _dir = new();
    private readonly string _run;

    public GateCommandTests(GateRuns runs)
    {
        _runs = runs;
        _run = GateRuns.Copy(runs.Candidate, _dir, "run");
    }

    public void Dispose() => _dir.Dispose();

    private string Store => _dir.Combine("store.db");

    private Task<CliResult> Gate(string policy, params string[] more) =>
        CliRunner.RunAsync(["gate", "--run", _run, "--policy", policy, "--store", Store, .. more]);

    private static JsonNode GateJson(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "gate.json")))!;

    [Fact]
    public async Task Should_Exit_0_Promotable_And_Write_Only_Its_Files_When_Every_Criterion_Passes_And_No_Role_Is_Required()
    {
        // Given: the candidate's accuracy is 12/43 = 0.279 (Wilson 0.167 to 0.427)
        var before = Directory.EnumerateFiles(_run).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        var policy = _dir.Write("policy.yaml", """
            name: floor
            criteria:
              - name: accuracy_lower_bound
                path: suites.medqa.metrics.accuracy.ci_low
                operator: ">="
                threshold: 0.15
              - name: no_errors
                path: suites.medqa.counts.errored
                divide_by: suites.medqa.counts.items
                operator: "<="
                threshold: 0.01
            """);

        // When
        var result = await Gate(policy);

        // Then
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("PROMOTABLE", result.Stdout, StringComparison.Ordinal);
        var gate = GateJson(_run);
        Assert.Equal("0.1675 (accuracy 0.2791, Wilson 95% CI 0.1675 to 0.4269, n=43)", gate["evaluation"]!["criteria"]![0]!["observed_text"]!.GetValue<string>());
        Assert.Equal("promotable", gate["verdict"]!.GetValue<string>());
        Assert.Equal(0.16746613786237485, gate["evaluation"]!["criteria"]![0]!["observed"]!.GetValue<double>());
        Assert.Equal(before.Keys.Concat(GateFiles).Order(StringComparer.Ordinal), Directory.EnumerateFiles(_run).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(_run, name)));
        }
    }

    [Fact]
    public async Task Should_Exit_4_And_Write_JUnit_With_One_Failure_Per_Failed_Criterion()
    {
        // Given: one criterion the run meets and two it does not
        var policy = _dir.Write("policy.yaml", """
            name: strict
            criteria:
              - name: accuracy_lower_bound
                path: suites.medqa.metrics.accuracy.ci_low
                operator: ">="
                threshold: 0.80
              - name: accuracy_point
                path: suites.medqa.metrics.accuracy
                operator: ">"
                threshold: 0.5
              - name: every_item_answered
                path: suites.medqa.counts.errored
                operator: "=="
                threshold: 0
            """);

        // When
        var result = await Gate(policy);

        // Then
        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal("criteria_not_met", GateJson(_run)["verdict"]!.GetValue<string>());
        var junit = XDocument.Load(Path.Combine(_run, "gate.junit.xml"));
        var criteria = junit.Root!.Elements("testsuite").Single(s => s.Attribute("name")!.Value.EndsWith(".criteria", StringComparison.Ordinal));
        Assert.Equal("3", criteria.Attribute("tests")!.Value);
        Assert.Equal("2", criteria.Attribute("failures")!.Value);
        Assert.Equal(["accuracy_lower_bound", "accuracy_point"],
            criteria.Elements("testcase").Where(t => t.Element("failure") is not null).Select(t => t.Attribute("name")!.Value));
        Assert.Contains("0.1675 is not >= 0.8", criteria.Elements("testcase").First().Element("failure")!.Attribute("message")!.Value, StringComparison.Ordinal);
        var markdown = File.ReadAllText(Path.Combine(_run, "gate.md"));
        Assert.StartsWith("# Gate: strict — NOT PROMOTABLE: criteria not met", markdown, StringComparison.Ordinal);
        Assert.Contains("| **accuracy_point**", markdown, StringComparison.Ordinal);
        Assert.Contains("**FAIL**", markdown, StringComparison.Ordinal);
        Assert.Contains($"results.json: `{GateJson(_run)["evaluation"]!["results_sha256"]!.GetValue<string>()}`", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Exit_2_Naming_File_Line_And_Key_When_A_Path_Does_Not_Exist_And_Write_Nothing()
    {
        // Given: a misspelt metric on line 8
        var policy = _dir.Write("policy.yaml", """
            name: typo
            criteria:
              - name: fine
                path: suites.medqa.metrics.accuracy.value
                operator: ">="
                threshold: 0
              - name: misspelt
                path: suites.medqa.metrics.acuracy.ci_low
                operator: ">="
                threshold: 0.8
            """);

        // When
        var result = await Gate(policy);

        // Then
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{policy}:8: field 'criteria[1].path': path 'suites.medqa.metrics.acuracy.ci_low' does not exist in results.json", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("(it has: accuracy, errored, n_items, unparseable_rate)", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_run, "gate.json")));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("operator: \"=>\"", 5, "criteria[0].operator", "unknown operator '=>'")]
    [InlineData("threshold: high", 6, "criteria[0].threshold", "operator '>=' needs a number as threshold, not 'high'")]
    [InlineData("treshold: 0.8", 6, "criteria[0].treshold", "unknown key 'treshold'")]
    public async Task Should_Exit_2_Naming_The_Line_And_Key_Of_A_Malformed_Criterion(string badLine, int line, string key, string message)
    {
        // Given: line 5 is the operator, line 6 the threshold
        var lines = new[] { "name: bad", "criteria:", "  - name: c", "    path: suites.medqa.metrics.accuracy", "    operator: \">=\"", "    threshold: 0.8" };
        var index = badLine.StartsWith("operator", StringComparison.Ordinal) ? 4 : 5;
        lines[index] = "    " + badLine;
        var policy = _dir.WriteLines("bad.yaml", lines);

        // When
        var result = await Gate(policy);

        // Then
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{policy}:{line}: field '{key}': {message}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Fail_An_Absent_Metric_With_Its_Reason_Never_Pass_It()
    {
        // Given: accuracy could not be computed (null value, with the reason the results give)
        GateRuns.EditResults(_run, r =>
        {
            var accuracy = r["suites"]!["medqa"]!["metrics"]!["accuracy"]!.AsObject();
            accuracy["value"] = null;
            accuracy["ci_low"] = null;
            accuracy["ci_high"] = null;
            accuracy["reason"] = "no item was answered";
        });
        var policy = _dir.Write("policy.yaml", """
            name: absent
            criteria:
              - name: accuracy_not_too_low
                path: suites.medqa.metrics.accuracy.ci_low
                operator: ">="
                threshold: 0
              - name: accuracy_below_ceiling
                path: suites.medqa.metrics.accuracy
                operator: "<="
                threshold: 1
            """);

        // When
        var result = await Gate(policy);

        // Then: both fail, although any number would have met them
        Assert.True(result.ExitCode == 4, result.ToString());
        var criteria = GateJson(_run)["evaluation"]!["criteria"]!.AsArray();
        Assert.All(criteria, c =>
        {
            Assert.False(c!["passed"]!.GetValue<bool>());
            Assert.Equal("absent: no item was answered", c["why"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task Should_Judge_A_Slice_Criterion_Over_Every_Suite_And_Metric_Only_Where_Adjusted_P_Is_Small()
    {
        // Given: a slices object (per suite and metric, the largest corrected gap): a big gap that is noise, and one that is not
        var policy = _dir.Write("policy.yaml", """
            name: slices
            criteria:
              - name: no_significant_slice_gap
                all: slices.*.*
                when: {path: adjusted_p, operator: "<", threshold: 0.05}
                path: gap
                absolute: true
                operator: "<="
                threshold: 0.05
            """);
        GateRuns.EditResults(_run, r => r["slices"] = JsonNode.Parse("""
            {"medqa": {"accuracy": {"gap": -0.12, "adjusted_p": 0.30, "slice": "sex=female"},
                       "unparseable_rate": {"gap": 0.02, "adjusted_p": 0.01, "slice": "meta_info=step1"}}}
            """));

        // When
        var noise = await Gate(policy);
        GateRuns.EditResults(_run, r => r["slices"]!["medqa"]!["accuracy"]!["adjusted_p"] = 0.004);
        var real = await Gate(policy);

        // Then
        Assert.True(noise.ExitCode == 0, noise.ToString());
        Assert.True(real.ExitCode == 4, real.ToString());
        var criterion = GateJson(_run)["evaluation"]!["criteria"]![0]!;
        Assert.Contains("slices.medqa.accuracy: 0.12 is not <= 0.05", criterion["why"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, criterion["elements"]!.AsArray().Count);

        // And: the verdict reads back with the same digest (what a signature binds), elements and all
        var sign = await CliRunner.RunAsync("signoff", "--run", _run, "--as", "Dr Ada Lovelace", "--role", "clinical_reviewer", "--decision", "reject", "--comment", "The female slice trails.", "--store", Store);
        Assert.True(sign.ExitCode == 0, sign.ToString());
    }

    [Fact]
    public async Task Should_Fail_A_Collection_Criterion_That_Matches_Nothing()
    {
        // Given: a suite with no slices
        GateRuns.EditResults(_run, r => r["slices"] = new JsonObject());
        var policy = _dir.Write("policy.yaml", """
            name: empty
            criteria:
              - name: no_gap
                all: slices.*.*
                path: gap
                operator: "<="
                threshold: 0.05
            """);

        // When
        var result = await Gate(policy);

        // Then
        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("matched nothing", GateJson(_run)["evaluation"]!["criteria"]![0]!["why"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Compare_With_The_Baseline_Itself_And_Judge_Comparison_Paths()
    {
        // Given
        var policy = _dir.Write("policy.yaml", """
            name: cmp
            comparison: {margin: 0.30, seed: 3}
            criteria:
              - name: non_inferior
                path: comparison.suites.medqa.non_inferiority.passed
                operator: "=="
                threshold: true
            """);

        // When
        var without = await Gate(policy);
        var with = await Gate(policy, "--baseline", _runs.Production);

        // Then
        Assert.True(without.ExitCode == 2, without.ToString());
        Assert.Contains("give --baseline", without.Stderr, StringComparison.Ordinal);
        Assert.True(with.ExitCode == 0, with.ToString());
        var comparison = JsonNode.Parse(File.ReadAllText(Path.Combine(_run, "comparison.json")))!;
        Assert.Equal(0.30, comparison["margin"]!.GetValue<double>());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(_run, "comparison.json")))),
            GateJson(_run)["evaluation"]!["comparison_sha256"]!.GetValue<string>());

        // And: the comparison.json now in the run folder is read when no baseline is given
        var again = await Gate(policy);
        Assert.True(again.ExitCode == 0, again.ToString());
    }

    [Fact]
    public async Task Should_Keep_Every_Verdict_In_History_And_Give_The_Same_Digest_When_Nothing_Changed()
    {
        // Given
        var policy = _dir.Write("policy.yaml", "name: p\ncriteria:\n  - {name: n, path: suites.medqa.counts.items, operator: '>', threshold: 0}\n");

        // When
        var first = await Gate(policy);
        var digest = GateJson(_run)["verdict_sha256"]!.GetValue<string>();
        var second = await Gate(policy);

        // Then
        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, $"{first}\n{second}");
        Assert.Equal(digest, GateJson(_run)["verdict_sha256"]!.GetValue<string>());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(_run, "gate-history.jsonl")).Length);
    }

    [Fact]
    public async Task Should_Judge_Every_Criterion_Of_The_Shipped_Release_Policy()
    {
        // Given: the shipped policy, a production baseline and a candidate with real slices
        var policy = Path.Combine(RepoPaths.Root, "fixtures", "policies", "medqa-release.yaml");
        // (the candidate run declares slices by sex and exam step: no gap is significant after Holm)

        // When
        var result = await Gate(policy, "--baseline", _runs.Production);

        // Then: a lexical-overlap floor is no release candidate
        Assert.True(result.ExitCode == 4, result.ToString());
        var criteria = GateJson(_run)["evaluation"]!["criteria"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["passed"]!.GetValue<bool>());
        Assert.Equal(["accuracy_lower_bound", "error_rate", "no_significant_slice_gap", "non_inferior_to_production", "unparseable_rate"], criteria.Keys.Order(StringComparer.Ordinal));
        Assert.False(criteria["accuracy_lower_bound"]);
        Assert.True(criteria["error_rate"]);
        Assert.True(criteria["no_significant_slice_gap"]);
        Assert.Equal(["clinical_reviewer", "ml_lead", "governance_chair"], GateJson(_run)["evaluation"]!["required_roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Should_Keep_A_Different_Comparison_Json_Unless_Told_To_Overwrite()
    {
        // Given: a comparison at margin 0.30 in the run folder
        string Policy(string margin) => _dir.Write($"policy-{margin}.yaml", $$"""
            name: cmp
            comparison: {margin: {{margin}}}
            criteria:
              - {name: ni, path: comparison.suites.medqa.non_inferiority.passed, operator: "==", threshold: true}
            """);
        SignoffSetup.Expect(await Gate(Policy("0.30"), "--baseline", _runs.Production), 0);
        var first = File.ReadAllBytes(Path.Combine(_run, "comparison.json"));

        // When: the same baseline at another margin
        var refused = await Gate(Policy("0.01"), "--baseline", _runs.Production);
        var kept = File.ReadAllBytes(Path.Combine(_run, "comparison.json"));
        var replaced = await Gate(Policy("0.01"), "--baseline", _runs.Production, "--overwrite");

        // Then
        SignoffSetup.Expect(refused, 2);
        Assert.Contains("a different comparison.json is already there", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(first, kept);
        SignoffSetup.Expect(replaced, 4);
        Assert.Equal(0.01, JsonNode.Parse(File.ReadAllText(Path.Combine(_run, "comparison.json")))!["margin"]!.GetValue<double>());
    }

    [Fact]
    public async Task Should_Judge_Any_Over_A_Collection_And_Skip_A_Criterion_Whose_When_Does_Not_Hold()
    {
        // Given: breakdown accuracies step1 0.2727 and step2&3 0.2857; no item errored
        var policy = _dir.Write("policy.yaml", """
            name: any
            criteria:
              - name: some_step_above_0_28
                any: suites.medqa.breakdowns.meta_info.*
                path: accuracy
                operator: ">"
                threshold: 0.28
              - name: some_step_above_half
                any: suites.medqa.breakdowns.meta_info.*
                path: accuracy
                operator: ">"
                threshold: 0.5
              - name: errors_explained
                when: {path: suites.medqa.counts.errored, operator: ">", threshold: 0}
                path: suites.medqa.metrics.errored
                operator: "<"
                threshold: 0
            """);

        // When
        var result = await Gate(policy);

        // Then
        Assert.True(result.ExitCode == 4, result.ToString());
        var criteria = GateJson(_run)["evaluation"]!["criteria"]!.AsArray();
        Assert.True(criteria[0]!["passed"]!.GetValue<bool>());
        Assert.Equal("holds for suites.medqa.breakdowns.meta_info.step2&3", criteria[0]!["why"]!.GetValue<string>());
        Assert.False(criteria[1]!["passed"]!.GetValue<bool>());
        Assert.Equal("holds for no applicable element", criteria[1]!["why"]!.GetValue<string>());
        Assert.True(criteria[2]!["passed"]!.GetValue<bool>());
        Assert.StartsWith("not applicable", criteria[2]!["why"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Deselect_Untested_Slices_And_Refuse_A_Mistyped_Condition_Path()
    {
        // Given: the candidate's real slices (reference groups have no test, so test.adjusted_p is absent there)
        string Policy(string conditionPath) => _dir.Write($"policy-{conditionPath}.yaml", $$"""
            name: slices
            criteria:
              - name: tested_gaps
                all: slices.suites.medqa.families.*.groups.*.metrics.*
                when: {path: {{conditionPath}}, operator: "<", threshold: 0.05}
                path: difference
                absolute: true
                operator: "<="
                threshold: 0.05
            """);

        // When
        var tested = await Gate(Policy("test.adjusted_p"));
        var mistyped = await Gate(Policy("test.adjusted"));

        // Then: untested groups are not selected and no tested gap is significant; a typo is a policy error
        Assert.True(tested.ExitCode == 0, tested.ToString());
        Assert.Contains("not applicable", GateJson(_run).ToJsonString(), StringComparison.Ordinal);
        SignoffSetup.Expect(mistyped, 2);
        Assert.Contains("'test' has no 'adjusted'", mistyped.Stderr, StringComparison.Ordinal);
    }
}
