using ValidationLab.Errors;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Suites.Longitudinal.Rendering;
using ValidationLab.Suites.Longitudinal.Tasks;

namespace ValidationLab.Suites.Longitudinal.Tests;

/// <summary>The suite end to end in process on the committed generated cohort: load, requests, scoring, aggregation.</summary>
public sealed class SuiteTests
{
    private static LongitudinalSuite Create(params (string Key, string Value)[] options) =>
        (LongitudinalSuite)new LongitudinalSuiteFactory().Create(new SuiteSettings
        {
            Name = "longitudinal",
            DataPath = RealData.Fixture,
            Options = options.ToDictionary(o => o.Key, o => o.Value),
        });

    [Fact]
    public async Task Replays_the_generated_cohort_with_news2_features_and_scores_probabilities()
    {
        var suite = Create();
        var items = await suite.LoadAsync(CancellationToken.None);
        Assert.Equal(suite.Counts!.DecisionPoints, items.Count);
        Assert.Contains(suite.InputFiles, f => f.EndsWith("Observation.000.ndjson.gz", StringComparison.Ordinal));
        Assert.Equal(new HashSet<RequestKind> { RequestKind.Risk }, suite.RequiredKinds);
        var results = new List<ItemResult>();
        foreach (var item in items)
        {
            var requests = suite.CreateRequests(item);
            var risk = Assert.IsType<RiskRequest>(Assert.Single(requests));
            Assert.True(risk.Features!.ContainsKey(FeatureBuilder.News2Feature));
            Assert.True(ContextRenderer.ApproximateTokens(risk.Context) <= LongitudinalSuiteOptions.DefaultTokenBudget);
            Assert.Equal(24, risk.HorizonHours);
            Assert.Contains("Probability:", risk.Messages![^1].Content, StringComparison.Ordinal);
            var response = ModelResponse.For(risk) with { Probability = risk.Features[FeatureBuilder.News2Feature] / 20 };
            results.Add(suite.Score(item, requests, [response]));
        }

        Assert.All(results, r => Assert.Equal(ItemStatus.Scored, r.Status));
        Assert.All(results, r => Assert.NotNull(r.Label));
        Assert.All(results, r => Assert.NotNull(r.ClusterId));
        var aggregate = suite.Aggregate(results);
        Assert.Equal(items.Count, aggregate.Metrics["task_decision_points"].Value);

        // What the risk metrics module receives: every item, with its unit, onset (positive units only) and exposure.
        var observations = suite.Observations(results);
        Assert.Equal(results.Select(r => r.ItemId), observations.Select(o => o.ItemId));
        var positiveUnits = observations.Where(o => o.Label == true).Select(o => o.UnitId).ToHashSet();
        Assert.All(observations, o => Assert.Equal(positiveUnits.Contains(o.UnitId), o.Onset is not null));
        Assert.All(observations.Where(o => o.Onset is not null), o => Assert.True(o.Label == true || o.Onset <= o.AsOf || o.Onset > o.AsOf.AddHours(24)));
        Assert.All(observations, o => Assert.InRange(o.ExposureHours, 0.0, 4.0));
        Assert.Equal(MetricKind.Count, aggregate.Metrics["task_patients"].Kind);
        Assert.Equal(60, aggregate.Metrics["task_patients"].Value);
        Assert.True(aggregate.Metrics["auroc"].Value > 0.6, $"NEWS2 AUROC {aggregate.Metrics["auroc"].Value}"); // vitals drift 6-18 h before onset, so NEWS2 discriminates, imperfectly over a 24 h horizon
        Assert.Contains(aggregate.Notes, n => n.StartsWith("Counts: ", StringComparison.Ordinal));
        Assert.Contains(aggregate.Notes, n => n.StartsWith(suite.Excluded.Count == 0 ? "No decision point was excluded" : "Excluded decision points: ", StringComparison.Ordinal));
        Assert.Contains(aggregate.Notes, n => n == "Data: fhir-ndjson, 60 patients with usable data.");
    }

    [Fact]
    public async Task A_limited_run_counts_what_ran_and_names_the_whole_task_apart()
    {
        // Given the first 10 decision points of the task only (what --limit 10 evaluates)
        var suite = Create();
        var items = (await suite.LoadAsync(CancellationToken.None)).Take(10).ToList();
        var results = items.Select(i =>
        {
            var requests = suite.CreateRequests(i);
            return suite.Score(i, requests, [ModelResponse.For(requests[0]) with { Probability = 0.1 }]);
        }).ToList();

        // When
        var notes = suite.Aggregate(results).Notes;

        // Then the counts are those of the 10 that ran (the first patient's first points), the whole task's apart
        var c = suite.Counts!;
        var patients = results.Select(r => r.ClusterId).Distinct().Count();
        Assert.Contains($"Counts: 10 of the task's {c.DecisionPoints} decision points ran (a limited run): {results.Count(r => r.Label == true)} positive, from {patients} patients and {patients} units", notes.Single(n => n.StartsWith("Counts: ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains($"The whole task: {c.DecisionPoints} decision points ({c.Positives} positive) from 60 patients", notes.Single(n => n.StartsWith("The whole task: ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_are_errored_and_unreadable_text_is_unparseable_never_wrong()
    {
        var suite = Create((LongitudinalOptionKeys.Mode, "generate"));
        var items = (await suite.LoadAsync(CancellationToken.None)).Take(3).ToList();
        var r = items.Select(i => (Item: i, Requests: suite.CreateRequests(i))).ToList();
        Assert.IsType<GenerateRequest>(r[0].Requests[0]);
        var errored = suite.Score(r[0].Item, r[0].Requests, [ModelResponse.Failed(r[0].Requests[0], "timeout", "no answer")]);
        var unparseable = suite.Score(r[1].Item, r[1].Requests, [ModelResponse.For(r[1].Requests[0]) with { Text = "Hard to say." }]);
        var scored = suite.Score(r[2].Item, r[2].Requests, [ModelResponse.For(r[2].Requests[0]) with { Text = "Probability: 12%" }]);
        Assert.Equal((ItemStatus.Errored, (double?)null), (errored.Status, errored.Score));
        Assert.Equal("timeout: no answer", errored.Error);
        Assert.Equal((ItemStatus.Unparseable, (double?)null), (unparseable.Status, unparseable.Score));
        Assert.Equal((ItemStatus.Scored, (double?)0.12), (scored.Status, scored.Score));
        var aggregate = suite.Aggregate([errored, unparseable, scored]);
        Assert.Equal(new SuiteCounts(3, 1, 1, 1), aggregate.Counts);
        Assert.Equal(1, aggregate.Metrics["errored"].Value);
        Assert.Equal(1, aggregate.Metrics["unparseable"].Value);
    }

    [Fact]
    public void Unknown_options_tasks_and_modes_are_refused_naming_the_key()
    {
        Assert.Equal("colour", Assert.Throws<InputException>(() => Create(("colour", "red"))).Field);
        Assert.Equal("task", Assert.Throws<InputException>(() => Create(("task", "no-such-task"))).Field);
        Assert.Equal("mode", Assert.Throws<InputException>(() => Create(("mode", "vibes"))).Field);
        Assert.Equal("format", Assert.Throws<InputException>(() => Create(("format", "hl7v2"))).Field);
    }

    [Fact]
    public void Every_shipped_task_loads_and_has_its_plain_words_definition_beside_it()
    {
        var folder = Path.GetDirectoryName(RealData.Task("x"))!;
        var yamls = Directory.GetFiles(folder, "*.yaml");
        Assert.Equal(4, yamls.Length);
        foreach (var yaml in yamls)
        {
            var task = TaskDefinition.Load(yaml);
            Assert.Equal(Path.GetFileNameWithoutExtension(yaml), task.Name);
            Assert.True(File.Exists(Path.ChangeExtension(yaml, ".md")), yaml);
        }
    }
}
