using System.Text.Json;
using ValidationLab.Configuration;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Discovery;
using ValidationLab.Pipeline;
using ValidationLab.Suites.MedQA.Demographics;

namespace ValidationLab.Core.Tests.Analysis;

/// <summary>
/// gpt-4o's recorded zero-shot answers on the real MedQA test split, scored by the replay runner through the whole
/// pipeline with a slices: section, sliced by meta_info and by the sex read from each vignette.
/// </summary>
public sealed class SliceRealMedQaTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Predictions => Path.Combine(RealMedQaFactAttribute.MedQaFolder, "predictions", "medqa_test_zero_shot_predictions_long.csv");

    private async Task<ValidationLab.Results.Slices.SliceReport> Run(string slices)
    {
        var yaml = $"""
            seed: 11
            runner:
              name: replay
              predictions: {Predictions}
              id_column: realidx
              response_column: predicted_answer
              filter.model: gpt-4o
            suites:
              - name: medqa
                data: {Path.Combine(RealMedQaFactAttribute.MedQaFolder, "test.jsonl")}
            slices:
            {slices}
            """;
        var path = _dir.Write("run.yaml", yaml);
        var registry = PluginCatalog.Discover();
        var config = new ConfigLoader(registry).Load(new RunOptions { ConfigFile = path, Out = _dir.Combine("out") });
        var outcome = await new EvaluationPipeline(registry).RunAsync(config, new PipelineOptions(), CancellationToken.None);
        return outcome.Result.Slices!;
    }

    [RealMedQaFact]
    public async Task Should_Match_Statsmodels_On_Meta_Info_Slices_Of_Real_Predictions()
    {
        // Given: reference figures computed by tests/reference/slices_reference.py from the same predictions file
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(ValidationLab.Testing.TestRepository.Root, "tests", "reference", "slices_reference.json")))
            .RootElement.GetProperty("medqa_gpt4o_meta_info");

        // When
        var report = await Run("  attributes: [meta_info]");

        // Then
        var family = report.Suites["medqa"].Families["meta_info"];
        Assert.Equal(reference.GetProperty("reference").GetString(), family.ReferenceGroup);
        foreach (var g in reference.GetProperty("groups").EnumerateObject())
        {
            var accuracy = family.Groups[g.Name].Metrics["accuracy"].Metric;
            Assert.Equal(g.Value.GetProperty("n").GetInt32(), accuracy.N);
            Assert.Equal(g.Value.GetProperty("correct").GetInt32() / (double)g.Value.GetProperty("n").GetInt32(), accuracy.Value!.Value, 12);
        }

        var test = family.Groups[reference.GetProperty("test_group").GetString()!].Metrics["accuracy"].Test!;
        Assert.StartsWith("Two-proportion z", test.Method, StringComparison.Ordinal);
        Assert.Equal(reference.GetProperty("z").GetDouble(), test.Statistic, 9);
        Assert.Equal(reference.GetProperty("p").GetDouble(), test.PValue, 9);
        Assert.Equal(reference.GetProperty("holm")[0].GetDouble(), test.AdjustedP, 9);
        Assert.Equal(2, report.Tests); // accuracy and unparseable_rate
    }

    [RealMedQaFact]
    public async Task Should_Slice_Real_Predictions_By_The_Sex_Read_From_Each_Vignette()
    {
        // Given: per-sex counts straight from the predictions file's 'correct' column
        var sexOf = File.ReadLines(Path.Combine(RealMedQaFactAttribute.MedQaFolder, "test.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("realidx").ToString(), e => DemographicsExtractor.Extract(e.GetProperty("question").GetString()!).Sex);
        var expected = File.ReadLines(Predictions).Skip(1).Select(l => l.Split(','))
            .Where(c => c[1] == "gpt-4o")
            .GroupBy(c => sexOf[c[0]])
            .ToDictionary(g => g.Key, g => (N: g.Count(), Correct: g.Count(c => c[5] == "1")));

        // When
        var report = await Run("  attributes: [sex, meta_info]\n  intersections: [\"sex x meta_info\"]\n  correction: bh");

        // Then
        var family = report.Suites["medqa"].Families["sex"];
        Assert.Equal("male", family.ReferenceGroup);
        foreach (var (sex, (n, correct)) in expected)
        {
            var accuracy = family.Groups[sex].Metrics["accuracy"].Metric;
            Assert.Equal((n, (double)correct / n), (accuracy.N, accuracy.Value));
        }

        Assert.Equal(1273, expected.Values.Sum(v => v.N));
        Assert.Equal(6, report.Suites["medqa"].Families["sex x meta_info"].Groups.Count);
        Assert.NotNull(report.Suites["medqa"].Gaps["accuracy"].LargestGapSlice);
        Assert.Equal("bh", report.Correction);
    }
}
