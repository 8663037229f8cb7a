using System.Text.Json.Nodes;

namespace ValidationLab.Cli.Tests.Support;

/// <summary>
/// Two real runs made once per test class through the real `run` command: the candidate (the embedded default:
/// every suite on its fixture, baseline lexical-overlap) and a production run (fixtures/configs/medqa-baseline.yaml
/// settings: random baseline, seed 7). Tests gate, sign and tamper with their own copies.
/// </summary>
public sealed class GateRuns : IDisposable
{
    private readonly TempDir _dir = new();

    public GateRuns()
    {
        Candidate = _dir.Combine("candidate");
        Production = _dir.Combine("production");
        // The candidate: the MedQA fixture answered by the lexical-overlap floor in generate mode (12/43 correct),
        // with real slices (fixtures/configs/medqa-slices.yaml). Production: the same questions and scoring mode
        // answered by the random floor, so that compare pairs every item.
        var config = Path.Combine(RepoPaths.Root, "fixtures", "configs", "medqa-slices.yaml");
        var productionConfig = _dir.Combine("production.yaml");
        File.WriteAllText(productionConfig, File.ReadAllText(config)
            .Replace("model: lexical-overlap", "model: random", StringComparison.Ordinal)
            .Replace("../medqa/medqa-fixture.jsonl", RepoPaths.MedQaFixture.Replace('\\', '/'), StringComparison.Ordinal));
        var a = CliRunner.RunAsync("run", "--config", config, "--out", Candidate).GetAwaiter().GetResult();
        var b = CliRunner.RunAsync("run", "--config", productionConfig, "--out", Production).GetAwaiter().GetResult();
        if (a.ExitCode != 0 || b.ExitCode != 0)
        {
            throw new InvalidOperationException($"could not make the runs the gate tests need:\n{a}\n{b}");
        }
    }

    public string Candidate { get; }

    public string Production { get; }

    /// <summary>A fresh copy of a run folder under <paramref name="into"/>.</summary>
    public static string Copy(string run, TempDir into, string name)
    {
        var target = into.Combine(name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(run))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return target;
    }

    /// <summary>Edits a run's results.json (as a test's input, e.g. a slices object or an absent metric).</summary>
    public static void EditResults(string run, Action<JsonObject> edit)
    {
        var path = Path.Combine(run, "results.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        File.WriteAllText(path, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    public void Dispose() => _dir.Dispose();
}
