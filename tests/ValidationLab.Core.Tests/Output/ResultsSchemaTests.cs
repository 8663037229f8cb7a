using System.Text.Json;
using System.Text.Json.Nodes;
using ValidationLab.Configuration;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Pipeline;
using ValidationLab.Discovery;

namespace ValidationLab.Core.Tests.Output;

/// <summary>
/// docs/results.schema.json is the documented contract of results.json: a real run's file must conform, and the
/// schema must be strict enough to catch drift (an undocumented field, a missing one, a wrong type).
/// </summary>
public sealed class ResultsSchemaTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static string SchemaPath => Path.Combine(ValidationLab.Testing.TestRepository.Root, "docs", "results.schema.json");

    [Fact]
    public async Task Should_Conform_To_The_Documented_Schema_When_A_Real_Run_Is_Written()
    {
        // Given: the embedded default (MedQA fixture, baseline runner)
        var document = await RunEmbeddedDefault();

        // When
        var errors = MiniJsonSchema.Load(SchemaPath).Validate(document.RootElement);

        // Then
        Assert.Empty(errors);
        Assert.True(document.RootElement.GetProperty("suites").GetProperty("medqa").GetProperty("metrics").GetProperty("accuracy").TryGetProperty("ci_low", out _));
    }

    [Theory]
    [InlineData("undocumented")]
    [InlineData("missing")]
    [InlineData("wrong-type")]
    public async Task Should_Reject_A_Results_File_That_Drifts_From_The_Schema(string drift)
    {
        // Given: a real results.json, altered the way code drift would alter it
        var node = JsonNode.Parse((await RunEmbeddedDefault()).RootElement.GetRawText())!;
        var accuracy = node["suites"]!["medqa"]!["metrics"]!["accuracy"]!.AsObject();
        switch (drift)
        {
            case "undocumented":
                accuracy["stderr"] = 0.1;
                break;
            case "missing":
                accuracy.Remove("method");
                break;
            default:
                accuracy["n"] = "forty-three";
                break;
        }

        // When
        var errors = MiniJsonSchema.Load(SchemaPath).Validate(JsonDocument.Parse(node.ToJsonString()).RootElement);

        // Then
        Assert.Contains(errors, e => e.StartsWith("$.suites.medqa.metrics.accuracy", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();

    private async Task<JsonDocument> RunEmbeddedDefault()
    {
        var registry = PluginCatalog.Discover();
        var config = new ConfigLoader(registry).Load(new RunOptions { Out = _dir.Combine("run") });
        var outcome = await new EvaluationPipeline(registry).RunAsync(config, new PipelineOptions(), CancellationToken.None);
        return JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outcome.OutDirectory, "results.json")));
    }

}
