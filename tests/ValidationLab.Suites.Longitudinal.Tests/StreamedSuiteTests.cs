using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Suites.Longitudinal.Rendering;
using ValidationLab.Suites.Longitudinal.Tasks;

namespace ValidationLab.Suites.Longitudinal.Tests;

/// <summary>
/// The suite streamed (<see cref="IStreamingSuite"/>: index, then items patient by patient) gives what it gives
/// loaded whole: the same items in the same order, the same requests, and the same aggregate from the same results;
/// the index holds no timeline.
/// </summary>
public sealed class StreamedSuiteTests
{
    private static LongitudinalSuite Create(string data, params (string Key, string Value)[] options) =>
        (LongitudinalSuite)new LongitudinalSuiteFactory().Create(new SuiteSettings
        {
            Name = "longitudinal",
            DataPath = data,
            Options = options.ToDictionary(o => o.Key, o => o.Value),
        });

    [Fact]
    public Task Streams_the_generated_cohort_as_it_loads_it_whole() => SameAsLoadedWhole(RealData.Fixture);

    [RealDataFact("mimic3_demo")]
    public Task Streams_the_mimic_demo_as_it_loads_it_whole() => SameAsLoadedWhole(RealData.Mimic3, ("task", "mimic3-mortality-48h"));

    [RealDataFact("synthea_ma10")]
    public Task Streams_synthea_csv_as_it_loads_it_whole() => SameAsLoadedWhole(RealData.SyntheaCsv, ("task", "synthea-emergency-365d"));

    [Fact]
    public async Task Hands_out_a_first_n_subset_one_patient_at_a_time_and_reads_no_further()
    {
        // Given the index of the generated cohort and its first 10 decision points
        var suite = Create(RealData.Fixture);
        var index = await ((IStreamingSuite)suite).IndexAsync(CancellationToken.None);
        var chosen = index.Take(10).ToList();

        // When they are read
        var lists = ((IStreamingSuite)suite).Load(chosen, CancellationToken.None).ToList();

        // Then each list is one patient's, and together they are the chosen items in order
        Assert.All(lists, l => Assert.Single(l.Select(i => i.ClusterId).Distinct()));
        Assert.Equal(chosen.Select(i => i.Id), lists.SelectMany(l => l).Select(i => i.Id));
    }

    private static async Task SameAsLoadedWhole(string data, params (string Key, string Value)[] options)
    {
        // Given the same suite loaded whole and streamed
        var whole = Create(data, options);
        var items = await whole.LoadAsync(CancellationToken.None);
        var streamed = Create(data, options);
        var index = await ((IStreamingSuite)streamed).IndexAsync(CancellationToken.None);

        // Then the index has every item, in order, with its cluster, strata, gold and source, and no timeline
        Assert.NotEmpty(items);
        Assert.Equal(items.Select(i => (i.Id, i.ClusterId, i.Gold, i.Source)), index.Select(i => (i.Id, i.ClusterId, i.Gold, i.Source)));
        Assert.Equal(items.Select(i => string.Join(";", i.Strata)), index.Select(i => string.Join(";", i.Strata)));
        Assert.All(index, i => Assert.IsNotType<EvalItem<DecisionPoint>>(i));
        Assert.All(index, i => Assert.Equal(1, ((IStreamingSuite)streamed).CountRequests(i)));

        // When every other item is chosen and read back, and every item is answered alike
        var chosen = index.Where((_, n) => n % 2 == 0).ToList();
        var full = ((IStreamingSuite)streamed).Load(chosen, CancellationToken.None).SelectMany(l => l).ToList();
        var expected = items.Where((_, n) => n % 2 == 0).ToList();

        // Then the items read back are the chosen ones, with the same reviewer text and the same requests
        Assert.Equal(expected.Select(i => (i.Id, i.Input)), full.Select(i => (i.Id, i.Input)));
        var wholeResults = expected.Select(i => Answer(whole, i)).ToList();
        var streamedResults = full.Select(i => Answer(streamed, i)).ToList();
        Assert.Equal(wholeResults.Select(r => (r.ItemId, r.PromptHash, r.Input, r.Explanation, r.Score)), streamedResults.Select(r => (r.ItemId, r.PromptHash, r.Input, r.Explanation, r.Score)));

        // and the aggregates agree: metrics, intervals and the task's notes (counts, data account)
        var a = whole.Aggregate(wholeResults);
        var b = streamed.Aggregate(streamedResults);
        Assert.Equal(a.Notes, b.Notes);
        Assert.Equal(a.Metrics.Keys, b.Metrics.Keys);
        Assert.All(a.Metrics, kv => Assert.Equal(kv.Value, b.Metrics[kv.Key]));
    }

    /// <summary>The suite's own reference feature (NEWS2, or the task's) as the probability.</summary>
    private static ItemResult Answer(LongitudinalSuite suite, EvalItem item)
    {
        var requests = suite.CreateRequests(item);
        var risk = Assert.IsType<RiskRequest>(Assert.Single(requests));
        var feature = suite.Task.ReferenceFeature ?? FeatureBuilder.News2Feature;
        var value = risk.Features!.GetValueOrDefault(feature);
        return suite.Score(item, requests, [ModelResponse.For(risk) with { Probability = Math.Clamp(value / 20, 0, 1) }]);
    }
}
