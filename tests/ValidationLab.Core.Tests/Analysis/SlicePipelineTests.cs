using System.Text.Json;
using ValidationLab.Analysis.Slicing;
using ValidationLab.Configuration;
using ValidationLab.Core.Tests.Pipeline;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Discovery;
using ValidationLab.Errors;
using ValidationLab.Items;
using ValidationLab.Pipeline;
using ValidationLab.Suites;

namespace ValidationLab.Core.Tests.Analysis;

/// <summary>The slicing stage inside a run: checked before the first model call, written to results.json.</summary>
public sealed class SlicePipelineTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static IReadOnlyList<EvalItem> Items() => Enumerable.Range(0, 120).Select(i => new EvalItem
    {
        Id = $"q{i:000}",
        Input = "question",
        Gold = "A",
        Payload = i,
        Strata = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["sex"] = i % 3 == 0 ? "male" : "female", ["age"] = (20 + (i % 60)).ToString(System.Globalization.CultureInfo.InvariantCulture) },
    }).ToList();

    private (EvaluationPipeline Pipeline, FakeRunner Runner) Build()
    {
        var runner = new FakeRunner((r, _) => FakeRunner.Text(r, int.Parse(r.ItemId[1..], System.Globalization.CultureInfo.InvariantCulture) % 4 == 0 ? "B" : "A"));
        var registry = new PluginCatalog();
        registry.Add(new FakeSuiteFactory(() => new SliceTestSuite("fake", Items())));
        registry.Add(new FakeRunnerFactory(runner));
        return (new EvaluationPipeline(registry), runner);
    }

    private EvalConfig Config(SliceSettings slices) => new()
    {
        Runner = new ValidationLab.Runners.RunnerSettings { Name = "fake", Origin = "test" },
        Suites = [new SuiteSettings { Name = "fake", DataPath = _dir.Combine("data"), Origin = "test" }],
        OutDirectory = _dir.Combine("out"),
        Origin = "test",
        Slices = slices,
    };

    [Fact]
    public async Task Should_Stop_Before_Any_Model_Call_When_A_Slice_Names_An_Attribute_No_Item_Has()
    {
        // Given
        var (pipeline, runner) = Build();
        var slices = new SliceSettings { Families = [new(["insurance"])], Origin = "run.yaml", Lines = new Dictionary<string, long> { ["insurance"] = 12 } };

        // When
        var ex = await Assert.ThrowsAsync<InputException>(() => pipeline.RunAsync(Config(slices), new PipelineOptions(), CancellationToken.None));

        // Then
        Assert.Equal(("run.yaml", 12L), (ex.File, ex.Line));
        Assert.Equal(0, runner.Calls);
        Assert.Equal(0, runner.Prepared);
        Assert.False(Directory.Exists(_dir.Combine("out")));
    }

    [Fact]
    public async Task Should_Write_Slices_That_Conform_To_The_Documented_Schema()
    {
        // Given
        var (pipeline, _) = Build();
        var slices = new SliceSettings { Families = [new(["sex"]), new(["age_band"]), new(["sex", "age_band"])], AgeBands = [40, 60] };

        // When
        var outcome = await pipeline.RunAsync(Config(slices), new PipelineOptions(), CancellationToken.None);

        // Then
        var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outcome.OutDirectory, "results.json")));
        var schema = MiniJsonSchema.Load(Path.Combine(ValidationLab.Testing.TestRepository.Root, "docs", "results.schema.json"));
        Assert.Equal([], schema.Validate(document.RootElement));
        var families = document.RootElement.GetProperty("slices").GetProperty("suites").GetProperty("fake").GetProperty("families");
        Assert.Equal(["0-39", "40-59", "60+"], families.GetProperty("age_band").GetProperty("groups").EnumerateObject().Select(g => g.Name));
        Assert.Equal(80, families.GetProperty("sex").GetProperty("groups").GetProperty("female").GetProperty("n").GetInt32());
        Assert.Equal(outcome.Result.Slices!.Tests, document.RootElement.GetProperty("slices").GetProperty("tests").GetInt32());
    }
}
