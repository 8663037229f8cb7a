using ValidationLab.Results;
using Xunit.Abstractions;

namespace ValidationLab.Suites.MedQA.Tests;

/// <summary>
/// The suite must agree with real data: gpt-4o's recorded zero-shot answers on the public MedQA test split score
/// 1118/1273, as the published predictions file says. Needs ../shared/data next to the repository.
/// </summary>
public sealed class RealDataTests(ITestOutputHelper output)
{
    public static string TestFile => Path.Combine(RepoPaths.SharedData, "medqa", "test.jsonl");

    public static string PredictionsFile =>
        Path.Combine(RepoPaths.SharedData, "medqa", "predictions", "medqa_test_zero_shot_predictions_long.csv");

    [RealDataFact("medqa/test.jsonl", "medqa/predictions/medqa_test_zero_shot_predictions_long.csv")]
    public async Task Should_Score_Gpt4o_Recorded_Answers_As_1118_Of_1273()
    {
        // Given
        var answers = ReadPredictions(PredictionsFile, "gpt-4o");
        var (suite, items) = await Suites.LoadAsync(TestFile);

        // When: the recorded answers go through the same Score/Aggregate path as any runner's
        var results = items.Select(item =>
        {
            var requests = suite.CreateRequests(item);
            return suite.Score(item, requests, [Suites.Text(requests[0], answers[item.Id])]);
        }).ToList();
        var summary = suite.Aggregate(results);
        output.WriteLine($"gpt-4o: {results.Count(r => r.Correct == true)}/{results.Count} correct on {TestFile}");

        // Then
        Assert.Equal(1273, items.Count);
        Assert.Equal(1273, answers.Count);
        Assert.Equal(new SuiteCounts(1273, 1273, 0, 0), summary.Counts);
        Assert.Equal(1118, results.Count(r => r.Correct == true));
        var accuracy = summary.Metrics["accuracy"];
        Assert.Equal(1118.0 / 1273, accuracy.Value);
        Assert.Equal(1273, accuracy.N);
        Assert.True(accuracy.CiLow < accuracy.Value && accuracy.Value < accuracy.CiHigh);
        Assert.Equal(["step1", "step2&3"], summary.Breakdowns["meta_info"].Keys);
        Assert.Equal(1273, summary.Breakdowns["meta_info"].Values.Sum(v => v["accuracy"].N));
        Assert.Equal(1273, summary.Distributions["predicted_letter"].Values.Sum());
    }

    /// <summary>realidx -> predicted_answer for one model (columns realidx,model,predicted_answer,answer_idx,meta_info,correct).</summary>
    private static Dictionary<string, string> ReadPredictions(string path, string model)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is >= 0 and var i ? i : throw new InvalidDataException($"{path} has no column {name}");
        var (id, who, predicted) = (Column("realidx"), Column("model"), Column("predicted_answer"));
        return lines.Skip(1)
            .Select(line => line.Split(','))
            .Where(cells => cells[who] == model)
            .ToDictionary(cells => cells[id], cells => cells[predicted], StringComparer.Ordinal);
    }
}
