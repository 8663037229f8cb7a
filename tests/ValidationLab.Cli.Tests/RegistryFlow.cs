using System.Text.Json;
using System.Text.Json.Nodes;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// The run registry through the real CLI (issue 12): `run` records every run, `runs list|show|export` find and give
/// them back, `compare` and `gate` take run ids, `gate` marks promotable runs promoted, and the second run of a
/// model draws a trend over the first. <see cref="RunsCommandTests"/> runs it on SQLite, <see cref="PostgresRunsCommandTests"/>
/// on PostgreSQL.
/// </summary>
public abstract class RegistryFlow(RegistryRuns runs) : IDisposable
{
    private const string Policy = """
        name: registry-test
        criteria:
          - name: has_items
            path: suites.medqa.counts.items
            operator: ">"
            threshold: 0
        """;

    private readonly TempDir _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<JsonArray> ListAsync(params string[] filters)
    {
        var result = await CliRunner.RunAsync(["runs", "list", "--store", runs.Store, "--json", .. filters]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Stdout)!.AsArray();
    }

    private static List<string> Ids(JsonArray list) => [.. list.Select(r => r!["run_id"]!.GetValue<string>())];

    /// <summary>The fixture's three runs in <paramref name="list"/>, in its order (other tests record more runs in the same store).</summary>
    private List<string> Known(JsonArray list) => [.. Ids(list).Where(new[] { runs.First.RunId, runs.Second.RunId, runs.Other.RunId }.Contains)];

    public async Task Check_Runs_list_shows_every_recorded_run_newest_first_and_its_filters_select()
    {
        Assert.Equal([runs.Other.RunId, runs.Second.RunId, runs.First.RunId], Known(await ListAsync()));
        Assert.Equal([runs.Second.RunId, runs.First.RunId], Known(await ListAsync("--model", "lexical-overlap")));
        Assert.Equal([runs.Other.RunId], Known(await ListAsync("--model", "random")));
        Assert.Equal(3, Known(await ListAsync("--suite", "medqa")).Count);
        Assert.Empty(Known(await ListAsync("--suite", "longitudinal")));
        Assert.Equal([runs.Other.RunId, runs.Second.RunId], Known(await ListAsync("--since", runs.Second.StartedUtc)));
        Assert.Equal([runs.First.RunId], Known(await ListAsync("--until", runs.Second.StartedUtc)));

        var first = (await ListAsync("--model", "lexical-overlap")).Single(r => r!["run_id"]!.GetValue<string>() == runs.First.RunId)!;
        Assert.Equal("baseline", first["runner"]!.GetValue<string>());
        Assert.Equal(MedQaFiles.FixtureLines.Count, first["items"]!.GetValue<int>());

        var table = await CliRunner.RunAsync("runs", "list", "--store", runs.Store);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(runs.First.RunId, table.Stdout, StringComparison.Ordinal);
        Assert.Contains("baseline/random", table.Stdout, StringComparison.Ordinal);
    }

    public async Task Check_Runs_export_gives_back_the_run_folder_byte_for_byte_and_refuses_a_folder_that_holds_files()
    {
        var target = _dir.Combine("export");

        var result = await CliRunner.RunAsync("runs", "export", runs.First.RunId, "--out", target, "--store", runs.Store);

        Assert.True(result.ExitCode == 0, result.ToString());
        var original = Directory.GetFiles(runs.First.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(original, Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList());
        Assert.Contains("trend.json", original);
        foreach (var name in original)
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(runs.First.Folder, name!)), await File.ReadAllBytesAsync(Path.Combine(target, name!)));
        }

        var again = await CliRunner.RunAsync("runs", "export", runs.First.RunId, "--out", target, "--store", runs.Store);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--overwrite", again.Stderr, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(target, "results.json"), "edited");
        await File.WriteAllTextAsync(Path.Combine(target, "notes.txt"), "mine");
        var overwrite = await CliRunner.RunAsync("runs", "export", runs.First.RunId, "--out", target, "--store", runs.Store, "--overwrite");
        Assert.True(overwrite.ExitCode == 0, overwrite.ToString());
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(runs.First.Folder, "results.json")), await File.ReadAllBytesAsync(Path.Combine(target, "results.json")));
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(target, "notes.txt")));
    }

    public async Task Check_Runs_show_gives_the_manifest_facts_and_every_metric_with_its_interval_and_method()
    {
        using var results = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(runs.Second.Folder, "results.json")));
        var accuracy = results.RootElement.GetProperty("suites").GetProperty("medqa").GetProperty("metrics").GetProperty("accuracy");

        var json = await CliRunner.RunAsync("runs", "show", runs.Second.RunId, "--store", runs.Store, "--json");

        Assert.True(json.ExitCode == 0, json.ToString());
        var shown = JsonNode.Parse(json.Stdout)!;
        Assert.Equal(runs.Second.RunId, shown["run"]!["run_id"]!.GetValue<string>());
        Assert.Equal("lexical-overlap", shown["run"]!["model"]!.GetValue<string>());
        var metric = shown["metrics"]!.AsArray().Single(m => m!["suite"]!.GetValue<string>() == "medqa" && m["metric"]!.GetValue<string>() == "accuracy")!;
        Assert.Equal(accuracy.GetProperty("value").GetDouble(), metric["value"]!.GetValue<double>());
        Assert.Equal(accuracy.GetProperty("ci_low").GetDouble(), metric["ci_low"]!.GetValue<double>());
        Assert.Equal(accuracy.GetProperty("ci_high").GetDouble(), metric["ci_high"]!.GetValue<double>());
        Assert.Equal(accuracy.GetProperty("n").GetInt32(), metric["n"]!.GetValue<int>());
        Assert.Equal(accuracy.GetProperty("method").GetString(), metric["method"]!.GetValue<string>());

        var table = await CliRunner.RunAsync("runs", "show", runs.Second.RunId, "--store", runs.Store);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("baseline/lexical-overlap", table.Stdout, StringComparison.Ordinal);
        Assert.Contains(accuracy.GetProperty("method").GetString()!, table.Stdout, StringComparison.Ordinal);
        Assert.Contains("sign-offs: none", table.Stdout, StringComparison.Ordinal);
    }

    public async Task Check_An_unknown_run_id_is_bad_input_naming_it_and_the_store()
    {
        var show = await CliRunner.RunAsync("runs", "show", "20990101-000000-nosuch", "--store", runs.Store);
        var export = await CliRunner.RunAsync("runs", "export", "20990101-000000-nosuch", "--out", _dir.Combine("x"), "--store", runs.Store);

        foreach (var result in new[] { show, export })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("20990101-000000-nosuch", result.Stderr, StringComparison.Ordinal);
            NamesTheStore(result);
        }

        Assert.False(Directory.Exists(_dir.Combine("x")));
    }

    public async Task Check_Compare_and_gate_name_an_unknown_run_id_and_the_store_with_exit_2()
    {
        var compare = await CliRunner.RunAsync("compare", "--baseline", "no-such-run", "--candidate", runs.First.RunId, "--store", runs.Store);
        Assert.Equal(2, compare.ExitCode);
        Assert.Contains("'no-such-run'", compare.Stderr, StringComparison.Ordinal);
        NamesTheStore(compare);
        Assert.Contains("--baseline", compare.Stderr, StringComparison.Ordinal);

        var policy = _dir.Write("policy.yaml", Policy);
        var gate = await CliRunner.RunAsync("gate", "--run", "no-such-run", "--policy", policy, "--out", _dir.Combine("g"), "--store", runs.Store);
        Assert.Equal(2, gate.ExitCode);
        Assert.Contains("'no-such-run'", gate.Stderr, StringComparison.Ordinal);
        NamesTheStore(gate);
        Assert.False(Directory.Exists(_dir.Combine("g")));
    }

    public async Task Check_Compare_by_run_id_gives_the_comparison_it_gives_by_folder_and_records_it()
    {
        var byFolder = _dir.Combine("by-folder");
        var byId = _dir.Combine("by-id");
        Directory.CreateDirectory(byFolder);
        Directory.CreateDirectory(byId);

        var a = await CliRunner.RunAsync("compare", "--baseline", runs.Other.Folder, "--candidate", runs.First.Folder, "--out", byFolder, "--store", runs.Store);
        var b = await CliRunner.RunAsync("compare", "--baseline", runs.Other.RunId, "--candidate", runs.First.RunId, "--out", byId, "--store", runs.Store);

        Assert.True(a.ExitCode == 0, a.ToString());
        Assert.True(b.ExitCode == 0, b.ToString());
        var folder = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(byFolder, "comparison.json")))!.AsObject();
        var id = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(byId, "comparison.json")))!.AsObject();
        Assert.Equal("registry:" + runs.First.RunId, id["candidate"]!["directory"]!.GetValue<string>());
        Assert.Equal("registry:" + runs.Other.RunId, id["baseline"]!["directory"]!.GetValue<string>());
        foreach (var doc in new[] { folder, id })
        {
            doc["candidate"]!.AsObject().Remove("directory");
            doc["baseline"]!.AsObject().Remove("directory");
        }

        Assert.Equal(folder.ToJsonString(), id.ToJsonString());
        Assert.Equal(Printed(a.Stdout), Printed(b.Stdout));
        Assert.Contains("Recorded the comparison", b.Stdout, StringComparison.Ordinal);

        var shown = JsonNode.Parse((await CliRunner.RunAsync("runs", "show", runs.First.RunId, "--store", runs.Store, "--json")).Stdout)!;
        Assert.Contains(shown["comparisons"]!.AsArray(), c => c!["baseline_run_id"]!.GetValue<string>() == runs.Other.RunId);
    }

    public async Task Check_Gate_by_run_id_gives_the_verdict_it_gives_by_folder_marks_the_run_promoted_and_list_finds_it()
    {
        var policy = _dir.Write("policy.yaml", Policy);
        Assert.DoesNotContain(runs.Second.RunId, Ids(await ListAsync("--promoted")));
        var copy = GateRuns.Copy(runs.Second.Folder, _dir, "second-copy");

        // Without a comparison the verdict binds only files that are the same bytes either way: the same digest.
        var byId = await Gate("gate-id", "--run", runs.Second.RunId);
        var byFolder = await Gate("gate-folder", "--run", copy);
        Assert.Equal("promotable", byId["verdict"]!.GetValue<string>());
        Assert.Equal(byFolder["verdict_sha256"]!.GetValue<string>(), byId["verdict_sha256"]!.GetValue<string>());
        Assert.Equal(byFolder["evaluation"]!.ToJsonString(), byId["evaluation"]!.ToJsonString());
        Assert.Equal("registry:" + runs.Second.RunId, byId["run_directory"]!.GetValue<string>());

        // With --baseline the comparison.json names where each run came from (a folder, or registry:ID), so its
        // SHA-256 differs; every criterion and figure is the same.
        var withBaselineId = await Gate("gate-id-baseline", "--run", runs.Second.RunId, "--baseline", runs.Other.RunId);
        var withBaselineFolder = await Gate("gate-folder-baseline", "--run", copy, "--baseline", runs.Other.Folder);
        foreach (var doc in new[] { withBaselineId, withBaselineFolder })
        {
            Assert.NotNull(doc["evaluation"]!["comparison_sha256"]!.GetValue<string>());
            doc["evaluation"]!.AsObject().Remove("comparison_sha256");
        }

        Assert.Equal(withBaselineFolder["evaluation"]!.ToJsonString(), withBaselineId["evaluation"]!.ToJsonString());

        Assert.Contains(runs.Second.RunId, Ids(await ListAsync("--promoted")));
        Assert.DoesNotContain(runs.Other.RunId, Ids(await ListAsync("--promoted")));
        var shown = JsonNode.Parse((await CliRunner.RunAsync("runs", "show", runs.Second.RunId, "--store", runs.Store, "--json")).Stdout)!;
        Assert.Equal("promotable", shown["gate_verdicts"]!.AsArray()[^1]!["verdict"]!.GetValue<string>());
    }

    private async Task<JsonNode> Gate(string outName, params string[] args)
    {
        var policy = Path.Combine(_dir.Path, "policy.yaml");
        var result = await CliRunner.RunAsync(["gate", .. args, "--policy", policy, "--out", _dir.Combine(outName), "--store", runs.Store]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Recorded the verdict (run marked promoted)", result.Stdout, StringComparison.Ordinal);
        return JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_dir.Combine(outName), "gate.json")))!;
    }

    public async Task Check_Gate_by_run_id_reads_the_sign_offs_from_the_store()
    {
        // Given: the first run gated by folder with a policy that needs one approval, and approved there
        var copy = GateRuns.Copy(runs.First.Folder, _dir, "signed");
        var policy = _dir.Write("signed-policy.yaml", "required_roles: [clinical_reviewer]\n" + Policy);
        var gated = await CliRunner.RunAsync("gate", "--run", copy, "--policy", policy, "--store", runs.Store);
        Assert.True(gated.ExitCode == 4, gated.ToString());
        var signed = await CliRunner.RunAsync("signoff", "--run", copy, "--as", "Dr Ada Lovelace", "--role", "clinical_reviewer", "--decision", "approve", "--comment", "Read it all.", "--store", runs.Store);
        Assert.True(signed.ExitCode == 0, signed.ToString());

        // When: the same run gated by its id
        var byId = await CliRunner.RunAsync("gate", "--run", runs.First.RunId, "--policy", policy, "--out", _dir.Combine("signed-gate"), "--store", runs.Store);

        // Then: the approval counts; the run is promotable
        Assert.True(byId.ExitCode == 0, byId.ToString());
        var verdict = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_dir.Combine("signed-gate"), "gate.json")))!;
        Assert.Equal("promotable", verdict["verdict"]!.GetValue<string>());
    }

    public async Task Check_Gate_by_run_id_without_out_is_bad_input_because_the_run_has_no_folder()
    {
        var policy = _dir.Write("policy.yaml", Policy);

        var result = await CliRunner.RunAsync("gate", "--run", runs.First.RunId, "--policy", policy, "--store", runs.Store);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out", result.Stderr, StringComparison.Ordinal);
    }

    public async Task Check_The_second_run_of_a_model_draws_a_trend_over_the_first_and_report_re_renders_the_same_bytes()
    {
        var trend = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(runs.Second.Folder, "trend.json")))!;
        var earlier = trend["earlier_runs"]!.AsArray();
        Assert.Contains(earlier, p => p!["run_id"]!.GetValue<string>() == runs.First.RunId && p["metric"]!.GetValue<string>() == "accuracy");
        Assert.DoesNotContain(earlier, p => p!["run_id"]!.GetValue<string>() == runs.Other.RunId);
        // The first run's trend holds no later run (a shared PostgreSQL database may hold earlier sessions' runs).
        var first = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(runs.First.Folder, "trend.json")))!["earlier_runs"]!.AsArray();
        Assert.DoesNotContain(first, p => p!["run_id"]!.GetValue<string>() is var id && (id == runs.Second.RunId || id == runs.Other.RunId || id == runs.First.RunId));

        var page = await File.ReadAllTextAsync(Path.Combine(runs.Second.Folder, "report.html"));
        Assert.Contains("Trend over earlier runs", page, StringComparison.Ordinal);
        Assert.Contains("<td>" + runs.First.RunId + "</td>", page, StringComparison.Ordinal);
        var other = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(runs.Other.Folder, "trend.json")))!["earlier_runs"]!.AsArray();
        Assert.DoesNotContain(other, p => p!["run_id"]!.GetValue<string>() is var id && (id == runs.First.RunId || id == runs.Second.RunId));
        Assert.DoesNotContain(runs.First.RunId, await File.ReadAllTextAsync(Path.Combine(runs.Other.Folder, "report.html")), StringComparison.Ordinal);

        var copy = GateRuns.Copy(runs.Second.Folder, _dir, "rerender");
        var report = await CliRunner.RunAsync("report", "--run", copy);
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(runs.Second.Folder, "report.html")), await File.ReadAllBytesAsync(Path.Combine(copy, "report.html")));
    }

    public async Task Check_A_run_with_no_registry_is_not_recorded_and_writes_no_trend()
    {
        var folder = _dir.Combine("unrecorded");

        var result = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--runner", "baseline", "--runner-option", "model=first-option", "--out", folder, "--store", runs.Store, "--no-registry");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(Path.Combine(folder, "trend.json")));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "results.json")));
        var runId = json.RootElement.GetProperty("manifest").GetProperty("run_id").GetString()!;
        Assert.DoesNotContain(runId, Ids(await ListAsync()));

        var record = await CliRunner.RunAsync("runs", "record", folder, "--store", runs.Store);
        Assert.True(record.ExitCode == 0, record.ToString());
        Assert.Contains(runId, Ids(await ListAsync()));
    }

    /// <summary>How the store is named in messages: the file for SQLite; the host for PostgreSQL (never the password).</summary>
    protected virtual string StoreName => runs.Store;

    /// <summary>What no message may show (the PostgreSQL password).</summary>
    protected virtual string? Secret => null;

    private void NamesTheStore(CliResult result)
    {
        Assert.Contains(StoreName, result.Stderr, StringComparison.Ordinal);
        if (Secret is { Length: > 0 } secret)
        {
            Assert.DoesNotContain(secret, result.Stderr + result.Stdout, StringComparison.Ordinal);
        }
    }

    /// <summary>compare's printed tables, without the line naming where comparison.json went and the registry's line.</summary>
    private static string Printed(string stdout) => string.Join("\n", stdout.Split('\n').Where(l => !l.StartsWith("Comparison: ", StringComparison.Ordinal) && !l.StartsWith("Recorded ", StringComparison.Ordinal)));
}
