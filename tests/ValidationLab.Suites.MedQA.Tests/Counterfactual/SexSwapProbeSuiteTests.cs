using ValidationLab.Items;
using ValidationLab.Requests;
using ValidationLab.Results;
using ValidationLab.Statistics;

namespace ValidationLab.Suites.MedQA.Tests.Counterfactual;

/// <summary>
/// Issue 9: the `probe: sex_swap` option of the MedQA suite, run over handmade items answered by a scripted runner
/// so that every probe figure is known: which items get a second request, what the swapped answers do to the flip
/// rate and McNemar's discordant counts, the skip counts per rule, and that accuracy does not move.
/// </summary>
public sealed class SexSwapProbeSuiteTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>Five swappable vignettes, one skipped for pregnancy, one naming no sex; gold is C throughout.</summary>
    private string Data() => _files.Write("probe.jsonl",
    [
        Records.Published("p1", "A 45-year-old woman has a fever and her neck is stiff. Which drug is best?"),
        Records.Published("p2", "A 30-year-old man has a cough. His wife is worried. Which drug is best?"),
        Records.Published("p3", "A 60-year-old woman has dysuria. Which drug is best?"),
        Records.Published("p4", "A 50-year-old man has a rash on his arm. Which drug is best?"),
        Records.Published("p5", "A 22-year-old man has otitis. Which drug is best?"),
        Records.Published("s1", "A 28-year-old pregnant woman has a fever. Which drug is best?"),
        Records.Published("s2", "A patient has a rash. Which drug is best?"),
    ]);

    /// <summary>Original answers: p3, p4 and s2 wrong. Swapped: p2 turns wrong, p3 and p4 turn right, p5 errors.</summary>
    private static readonly Dictionary<string, string> Original = new()
    {
        ["p1"] = "C", ["p2"] = "C", ["p3"] = "A", ["p4"] = "B", ["p5"] = "C", ["s1"] = "C", ["s2"] = "D",
    };

    private static readonly Dictionary<string, string?> Swapped = new()
    {
        ["p1#sex_swap"] = "C", ["p2#sex_swap"] = "A", ["p3#sex_swap"] = "C", ["p4#sex_swap"] = "C", ["p5#sex_swap"] = null,
    };

    private static ModelResponse Answer(ModelRequest request)
    {
        var letter = request.ItemId.EndsWith("#sex_swap", StringComparison.Ordinal) ? Swapped[request.ItemId] : Original[request.ItemId];
        return letter is null
            ? ModelResponse.Failed(request, "http_503", "service unavailable")
            : Suites.Text(request, $"Reasoning. The answer is ({letter}).");
    }

    private async Task<(SuiteResult Result, List<ItemResult> Items, List<ModelRequest> Plan)> RunAsync(bool probe)
    {
        var (suite, items) = await Suites.LoadAsync(Data(), 0, probe ? [("probe", "sex_swap")] : []);
        var plan = new List<ModelRequest>();
        var results = new List<ItemResult>();
        foreach (var item in items)
        {
            var requests = suite.CreateRequests(item);
            plan.AddRange(requests);
            results.Add(suite.Score(item, requests, requests.Select(Answer).ToList()));
        }

        return (suite.Aggregate(results), results, plan);
    }

    [Fact]
    public async Task Should_Add_One_Swapped_Request_After_Each_Eligible_Item_When_The_Probe_Is_On()
    {
        // When
        var (_, _, plan) = await RunAsync(probe: true);
        var (_, _, without) = await RunAsync(probe: false);

        // Then: originals unchanged; each eligible item is followed by its swapped request, under its own id
        Assert.Equal(["p1", "p2", "p3", "p4", "p5", "s1", "s2"], without.Select(r => r.ItemId));
        Assert.Equal(["p1", "p1#sex_swap", "p2", "p2#sex_swap", "p3", "p3#sex_swap", "p4", "p4#sex_swap", "p5", "p5#sex_swap", "s1", "s2"],
            plan.Select(r => r.ItemId));
        Assert.Equal(without.Select(RequestHasher.Hash), plan.Where(r => r.RequestId == "0").Select(RequestHasher.Hash));
        var swapped = Assert.IsType<GenerateRequest>(plan.Single(r => r.ItemId == "p2#sex_swap"));
        Assert.Equal("sex_swap", swapped.RequestId);
        var prompt = string.Join("\n", swapped.Messages.Select(m => m.Content));
        Assert.Contains("A 30-year-old woman has a cough. Her husband is worried.", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("man has a cough", prompt.Replace("woman has a cough", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Report_Flip_Rate_McNemar_And_Skips_When_The_Probe_Is_On()
    {
        // When
        var (result, _, _) = await RunAsync(probe: true);

        // Then: p5's swapped request errored, so 4 pairs: p1 same, p2 C->A, p3 A->C, p4 B->C
        var m = result.Metrics;
        Assert.Equal(4, m["probe_sex_swap_probed"].Value);
        Assert.Equal(1, m["probe_sex_swap_errored"].Value);
        var wilson = Proportions.Wilson(3, 4);
        var flip = m["probe_sex_swap_flip_rate"];
        Assert.Equal(MetricKind.Proportion, flip.Kind);
        Assert.Equal((0.75, wilson.Low, wilson.High, 4), (flip.Value!.Value, flip.CiLow!.Value, flip.CiHigh!.Value, flip.N));
        Assert.Equal(1, m["probe_sex_swap_mcnemar_b"].Value);
        Assert.Equal(2, m["probe_sex_swap_mcnemar_c"].Value);
        Assert.Equal(McNemar.Exact(1, 2).PValue, m["probe_sex_swap_mcnemar_p"].Value);
        Assert.Equal(McNemar.MidP(1, 2).PValue, m["probe_sex_swap_mcnemar_mid_p"].Value);
        Assert.Equal(1, m["probe_sex_swap_skipped_pregnancy"].Value);
        Assert.Equal(1, m["probe_sex_swap_skipped_no_sex_terms"].Value);
        Assert.Equal(2, m.Keys.Count(k => k.StartsWith("probe_sex_swap_skipped_", StringComparison.Ordinal)));

        // The flipped items side by side, with both answers and gold; p1 (no flip) and p5 (errored) are not there.
        var flips = result.Notes.Where(n => n.StartsWith("Sex-swap flip ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, flips.Count);
        Assert.StartsWith("Sex-swap flip p2: gold C; original answer C, swapped answer A.", flips[0], StringComparison.Ordinal);
        Assert.Contains("Original: A 30-year-old man has a cough. His wife is worried.", flips[0], StringComparison.Ordinal);
        Assert.Contains("Swapped: A 30-year-old woman has a cough. Her husband is worried.", flips[0], StringComparison.Ordinal);
        Assert.DoesNotContain(result.Notes, n => n.StartsWith("Sex-swap flip p1", StringComparison.Ordinal) || n.StartsWith("Sex-swap flip p5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_Write_The_Probe_As_A_Structured_Block_When_The_Probe_Is_On()
    {
        // When
        var (result, _, _) = await RunAsync(probe: true);
        var (off, _, _) = await RunAsync(probe: false);

        // Then: p1-p5 were asked; p5's swapped request errored, so 4 probed pairs: p2 C->A, p3 A->C, p4 B->C flipped
        var probe = Assert.Single(result.Probes).Value;
        Assert.Equal("sex_swap", probe.Probe);
        Assert.Equal((5, 4, 1), (probe.Asked, probe.Probed, probe.Errored));
        Assert.Equal(new Dictionary<string, int> { ["no_sex_terms"] = 1, ["pregnancy"] = 1 }, probe.Skipped);
        var wilson = Proportions.Wilson(3, 4);
        Assert.Equal((0.75, wilson.Low, wilson.High, 4, wilson.Method), (probe.FlipRate.Value!.Value, probe.FlipRate.CiLow!.Value, probe.FlipRate.CiHigh!.Value, probe.FlipRate.N, probe.FlipRate.Method));
        var exact = McNemar.Exact(1, 2);
        Assert.Equal((1, 2, exact.Method, exact.Statistic, exact.PValue, McNemar.MidP(1, 2).PValue),
            (probe.Mcnemar.B, probe.Mcnemar.C, probe.Mcnemar.Method, probe.Mcnemar.Statistic, probe.Mcnemar.PValue, probe.Mcnemar.MidP));
        Assert.Equal(
            [("p2", "C", "C", "A"), ("p3", "C", "A", "C"), ("p4", "C", "B", "C")],
            probe.Flipped.Select(f => (f.ItemId, f.Gold, f.OriginalAnswer, f.ChangedAnswer)));

        // The block and the probe_sex_swap_* metrics (kept: gate policies address metrics) say the same.
        Assert.Equal(result.Metrics["probe_sex_swap_flip_rate"], probe.FlipRate);
        Assert.Equal(probe.Mcnemar.PValue, result.Metrics["probe_sex_swap_mcnemar_p"].Value);
        Assert.Empty(off.Probes);
    }

    [Fact]
    public async Task Should_Report_An_Absent_Flip_Rate_In_The_Block_When_No_Pair_Got_Both_Answers()
    {
        // Given: every swapped request fails
        var (suite, items) = await Suites.LoadAsync(Data(), 0, ("probe", "sex_swap"));
        var results = new List<ItemResult>();
        foreach (var item in items)
        {
            var requests = suite.CreateRequests(item);
            results.Add(suite.Score(item, requests, requests
                .Select(r => r.RequestId == "sex_swap" ? ModelResponse.Failed(r, "timeout", "no answer") : Answer(r)).ToList()));
        }

        // When
        var probe = suite.Aggregate(results).Probes["sex_swap"];

        // Then: asked 5, none probed, all 5 errored, no flips; the rate is absent (null with a reason), never 0
        Assert.Equal((5, 0, 5), (probe.Asked, probe.Probed, probe.Errored));
        Assert.Null(probe.FlipRate.Value);
        Assert.NotNull(probe.FlipRate.AbsentReason);
        Assert.Empty(probe.Flipped);
        Assert.Equal((0, 0, 1.0), (probe.Mcnemar.B, probe.Mcnemar.C, probe.Mcnemar.PValue));
    }

    [Fact]
    public async Task Should_Leave_Accuracy_And_Item_Results_Unchanged_When_The_Probe_Is_On()
    {
        // When
        var (on, onItems, _) = await RunAsync(probe: true);
        var (off, offItems, _) = await RunAsync(probe: false);

        // Then: accuracy is 4/7 both ways; p5 is scored (its swapped request's error does not make it errored)
        Assert.Equal(off.Metrics["accuracy"], on.Metrics["accuracy"]);
        Assert.Equal(4.0 / 7, on.Metrics["accuracy"].Value!.Value, 12);
        Assert.Equal(off.Counts, on.Counts);
        Assert.Equal(0, on.Counts.Errored);
        Assert.Equal(offItems.Select(i => (i.ItemId, i.Status, i.Prediction, i.Correct, i.PromptHash)),
            onItems.Select(i => (i.ItemId, i.Status, i.Prediction, i.Correct, i.PromptHash)));
        Assert.DoesNotContain(off.Metrics.Keys, k => k.StartsWith("probe_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_Count_An_Item_As_Probe_Errored_Not_Flipped_When_Its_Original_Request_Fails()
    {
        // Given: p2's original request fails, its swapped one answers A (which would be a flip)
        var (suite, items) = await Suites.LoadAsync(Data(), 0, ("probe", "sex_swap"));
        var results = new List<ItemResult>();
        foreach (var item in items)
        {
            var requests = suite.CreateRequests(item);
            results.Add(suite.Score(item, requests, requests
                .Select(r => r.ItemId == "p2" ? ModelResponse.Failed(r, "timeout", "no answer") : Answer(r)).ToList()));
        }

        // When
        var result = suite.Aggregate(results);

        // Then: p2 and p5 errored for the probe; flips are p3 and p4 only
        Assert.Equal(2, result.Metrics["probe_sex_swap_errored"].Value);
        Assert.Equal(3, result.Metrics["probe_sex_swap_probed"].Value);
        Assert.Equal(2.0 / 3, result.Metrics["probe_sex_swap_flip_rate"].Value!.Value, 12);
        Assert.Equal(0, result.Metrics["probe_sex_swap_mcnemar_b"].Value);
        Assert.Equal(ItemStatus.Errored, results.Single(r => r.ItemId == "p2").Status);
    }

    [Fact]
    public async Task Should_Add_The_Probe_To_A_Prepared_Subset_As_To_The_Subset_Itself()
    {
        // Given: the probed run (the slicing stage aggregates its groups through Prepare)
        var (suite, items) = await Suites.LoadAsync(Data(), 0, ("probe", "sex_swap"));
        var results = new List<ItemResult>();
        foreach (var item in items)
        {
            var requests = suite.CreateRequests(item);
            results.Add(suite.Score(item, requests, requests.Select(Answer).ToList()));
        }

        var prepared = ((ISubsetAggregator)suite).Prepare(results);

        // When / Then: a group with p2 and p3 (flips) and s1 (skipped), and the whole run
        foreach (int[] indices in new[] { new[] { 1, 2, 5 }, Enumerable.Range(0, results.Count).ToArray() })
        {
            var expected = suite.Aggregate(indices.Select(i => results[i]).ToList());
            var actual = prepared.Aggregate(indices);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected), System.Text.Json.JsonSerializer.Serialize(actual));
            Assert.Contains(actual.Metrics.Keys, k => k.StartsWith("probe_sex_swap_", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("gender_swap")]
    [InlineData("yes")]
    public void Should_Refuse_An_Unknown_Probe_Naming_The_Option(string value)
    {
        var ex = Assert.Throws<ValidationLab.Errors.InputException>(() => Suites.Create(Data(), 0, ("probe", value)));
        Assert.Contains("probe", ex.Message, StringComparison.Ordinal);
        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
    }
}
