using System.Text.Json;
using System.Text.Json.Nodes;
using ValidationLab.Configuration;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Discovery;
using ValidationLab.Pipeline;

namespace ValidationLab.Core.Tests.Analysis;

/// <summary>
/// The structured probes block of results.json (suites.&lt;suite&gt;.probes.&lt;probe&gt;) in a real run: the MedQA
/// fixture answered by the baseline with the sex-swap probe on, checked against docs/results.schema.json.
/// </summary>
public sealed class ProbeResultsSchemaTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string SchemaPath => Path.Combine(ValidationLab.Testing.TestRepository.Root, "docs", "results.schema.json");

    private async Task<JsonDocument> RunAsync(bool probe)
    {
        var registry = PluginCatalog.Discover();
        var options = new RunOptions
        {
            Suite = "medqa",
            Data = Path.Combine(ValidationLab.Testing.TestRepository.Root, "fixtures", "medqa", "medqa-fixture.jsonl"),
            Runner = "baseline",
            Out = _dir.Combine(probe ? "probe" : "plain"),
            SuiteOptions = probe ? ["probe=sex_swap"] : [],
        };
        var config = new ConfigLoader(registry).Load(options);
        var outcome = await new EvaluationPipeline(registry).RunAsync(config, new PipelineOptions(), CancellationToken.None);
        return JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outcome.OutDirectory, "results.json")));
    }

    [Fact]
    public async Task Should_Write_A_Probes_Block_That_Conforms_To_The_Schema_And_Agrees_With_The_Metrics()
    {
        // When
        var probed = await RunAsync(probe: true);
        var plain = await RunAsync(probe: false);

        // Then
        var schema = MiniJsonSchema.Load(SchemaPath);
        Assert.Empty(schema.Validate(probed.RootElement));
        Assert.Empty(schema.Validate(plain.RootElement));
        var medqa = probed.RootElement.GetProperty("suites").GetProperty("medqa");
        var block = medqa.GetProperty("probes").GetProperty("sex_swap");
        var metrics = medqa.GetProperty("metrics");
        double Metric(string name) => metrics.GetProperty("probe_sex_swap_" + name).GetProperty("value").GetDouble();
        Assert.Equal(Metric("probed"), block.GetProperty("probed").GetInt32());
        Assert.Equal(Metric("errored"), block.GetProperty("errored").GetInt32());
        Assert.Equal(block.GetProperty("probed").GetInt32() + block.GetProperty("errored").GetInt32(), block.GetProperty("asked").GetInt32());
        Assert.Equal(JsonSerializer.Serialize(metrics.GetProperty("probe_sex_swap_flip_rate")), JsonSerializer.Serialize(block.GetProperty("flip_rate")));
        Assert.Equal(Metric("mcnemar_b"), block.GetProperty("mcnemar").GetProperty("b").GetInt32());
        Assert.Equal(Metric("mcnemar_p"), block.GetProperty("mcnemar").GetProperty("p_value").GetDouble());
        foreach (var rule in block.GetProperty("skipped").EnumerateObject())
        {
            Assert.Equal(Metric("skipped_" + rule.Name), rule.Value.GetInt32());
        }

        var flipped = block.GetProperty("flipped").EnumerateArray().Select(f => f.GetProperty("item_id").GetString()!).ToList();
        Assert.Equal(flipped.Order(StringComparer.Ordinal), flipped);
        Assert.Equal(
            (int)Math.Round(block.GetProperty("flip_rate").GetProperty("value").GetDouble() * block.GetProperty("probed").GetInt32()),
            flipped.Count);
        Assert.Empty(plain.RootElement.GetProperty("suites").GetProperty("medqa").GetProperty("probes").EnumerateObject());
    }

    [Fact]
    public async Task Should_Reject_A_Probe_Block_That_Drifts_From_The_Schema()
    {
        // Given: the probed run's file with an undocumented field in the block
        var node = JsonNode.Parse((await RunAsync(probe: true)).RootElement.GetRawText())!;
        node["suites"]!["medqa"]!["probes"]!["sex_swap"]!["mcnemar"]!["odds"] = 2.0;

        // When
        var errors = MiniJsonSchema.Load(SchemaPath).Validate(JsonDocument.Parse(node.ToJsonString()).RootElement);

        // Then
        Assert.Contains(errors, e => e.StartsWith("$.suites.medqa.probes.sex_swap.mcnemar", StringComparison.Ordinal));
    }
}
