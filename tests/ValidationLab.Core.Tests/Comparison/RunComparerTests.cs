using ValidationLab.Comparison;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Errors;
using ValidationLab.Results;

namespace ValidationLab.Core.Tests.Comparison;

public sealed class RunComparerTests
{
    private static readonly RunComparer Comparer = new() { BootstrapResamples = 500, Seed = 1 };

    /// <summary>Pairs what it can when items or data differ (--allow-different-data).</summary>
    private static readonly RunComparer Lenient = new() { BootstrapResamples = 500, Seed = 1, AllowDifferentData = true };

    /// <summary>
    /// Baseline vs candidate on suite "s":
    /// 1-3 right in both; 4 right→wrong (regression); 5,6 wrong→right (improvements); 7 wrong in both;
    /// 8 errored in the baseline; 9 errored in the candidate; 10 only in the baseline; 11, 12 only in the candidate.
    /// </summary>
    private static (LoadedRun Baseline, LoadedRun Candidate) TwoRuns()
    {
        bool?[] baseCorrect = [true, true, true, true, false, false, false, null, true, true];
        bool?[] candCorrect = [true, true, true, false, true, true, false, true, null];
        var baseItems = baseCorrect.Select((c, i) => Runs.Item("s", $"q{i + 1}", c)).ToList();
        var candItems = candCorrect.Select((c, i) => Runs.Item("s", $"q{i + 1}", c))
            .Append(Runs.Item("s", "q11", true)).Append(Runs.Item("s", "q12", false)).ToList();
        return (new LoadedRun("/runs/base", Runs.Result("base-run", "mini"), baseItems),
                new LoadedRun("/runs/cand", Runs.Result("cand-run", "large"), candItems));
    }

    [Fact]
    public void Should_Pair_Items_And_Count_Errored_And_Unmatched_Ones()
    {
        // Given
        var (baseline, candidate) = TwoRuns();

        // When
        var suite = Lenient.Compare(baseline, candidate).Suites["s"];

        // Then
        Assert.Equal(7, suite.PairedItems);
        Assert.Equal(2, suite.ExcludedErrored);
        Assert.Equal(1, suite.OnlyInBaseline);
        Assert.Equal(2, suite.OnlyInCandidate);
    }

    [Fact]
    public void Should_List_Regressions_And_Improvements()
    {
        // Given
        var (baseline, candidate) = TwoRuns();

        // When
        var suite = Lenient.Compare(baseline, candidate).Suites["s"];

        // Then
        Assert.Equal(["q4"], suite.Regressions.Select(r => r.ItemId));
        Assert.Equal(["q5", "q6"], suite.Improvements.Select(r => r.ItemId));
        Assert.Equal("A", suite.Regressions[0].BaselinePrediction);
        Assert.Equal("B", suite.Regressions[0].CandidatePrediction);
        var accuracy = suite.Metrics["accuracy"];
        Assert.Equal(1, accuracy.Regressions);
        Assert.Equal(2, accuracy.Improvements);
    }

    [Fact]
    public void Should_Read_The_Difference_As_Candidate_Minus_Baseline()
    {
        // Given
        var (baseline, candidate) = TwoRuns();

        // When
        var forward = Lenient.Compare(baseline, candidate).Suites["s"].Metrics["accuracy"];
        var reverse = Lenient.Compare(candidate, baseline).Suites["s"].Metrics["accuracy"];

        // Then: 4/7 baseline, 5/7 candidate over the 7 paired items
        Assert.Equal(4.0 / 7, forward.Baseline.Value!.Value, 12);
        Assert.Equal(5.0 / 7, forward.Candidate.Value!.Value, 12);
        Assert.Equal(1.0 / 7, forward.Difference.Value!.Value, 12);
        Assert.Equal(-1.0 / 7, reverse.Difference.Value!.Value, 12);
        Assert.Equal(7, forward.Difference.N);
        Assert.True(forward.Difference.CiLow < forward.Difference.Value && forward.Difference.Value < forward.Difference.CiHigh);
    }

    [Fact]
    public void Should_Name_Both_Runs_And_Their_Models()
    {
        // Given
        var (baseline, candidate) = TwoRuns();

        // When
        var result = Lenient.Compare(baseline, candidate);

        // Then
        Assert.Equal(new RunReference("base-run", "/runs/base", "replay", "mini"), result.Baseline);
        Assert.Equal(new RunReference("cand-run", "/runs/cand", "replay", "large"), result.Candidate);
    }

    [Fact]
    public void Should_Leave_Out_Suites_Present_In_One_Run_Only()
    {
        // Given
        var (baseline, candidate) = TwoRuns();
        candidate = candidate with { Items = [.. candidate.Items, Runs.Item("other", "x1", true)] };

        // When
        var result = Lenient.Compare(baseline, candidate);

        // Then
        Assert.Equal(["s"], result.Suites.Keys);
        Assert.Equal(["other"], result.Unpaired);
    }

    [Fact]
    public void Should_Refuse_Runs_Sharing_No_Suite()
    {
        // Given
        var baseline = new LoadedRun("/a", Runs.Result("a", "m"), [Runs.Item("s1", "q1", true)]);
        var candidate = new LoadedRun("/b", Runs.Result("b", "m"), [Runs.Item("s2", "q1", true)]);

        // When / Then
        Assert.Throws<InputException>(() => Comparer.Compare(baseline, candidate));
    }

    [Fact]
    public void Should_Break_Down_By_Strata()
    {
        // Given
        var step1 = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["meta_info"] = "step1" };
        var step2 = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["meta_info"] = "step2&3" };
        ItemResult[] baseItems = [Runs.Item("s", "1", true, strata: step1), Runs.Item("s", "2", false, strata: step1), Runs.Item("s", "3", true, strata: step2)];
        ItemResult[] candItems = [Runs.Item("s", "1", true, strata: step1), Runs.Item("s", "2", true, strata: step1), Runs.Item("s", "3", false, strata: step2)];

        // When
        var suite = Comparer.Compare(new LoadedRun("/a", Runs.Result("a", "m"), baseItems), new LoadedRun("/b", Runs.Result("b", "n"), candItems)).Suites["s"];

        // Then
        Assert.Equal(0.5, suite.Breakdowns["meta_info"]["step1"]["accuracy"].Difference.Value!.Value, 12);
        Assert.Equal(-1.0, suite.Breakdowns["meta_info"]["step2&3"]["accuracy"].Difference.Value!.Value, 12);
    }

    /// <summary>n paired items of which <paramref name="discordant"/> flip (half each way), the rest right in both.</summary>
    private static (LoadedRun Baseline, LoadedRun Candidate) Paired(int n, int discordant)
    {
        var baseItems = Enumerable.Range(0, n).Select(i => Runs.Item("s", $"q{i}", i >= discordant || i % 2 == 0)).ToList();
        var candItems = Enumerable.Range(0, n).Select(i => Runs.Item("s", $"q{i}", i >= discordant || i % 2 == 1)).ToList();
        return (new LoadedRun("/b", Runs.Result("b", "m1"), baseItems), new LoadedRun("/c", Runs.Result("c", "m2"), candItems));
    }

    [Theory]
    [InlineData(200, 40, false)]
    [InlineData(20_000, 4_000, true)]
    public void Should_Say_Whether_The_Suite_Can_Detect_A_Drop_Of_The_Margin(int n, int discordant, bool detectable)
    {
        // Given: 20% discordant pairs; Connor (1987) needs about 3,900 pairs to detect 2 points at 80% power
        var (baseline, candidate) = Paired(n, discordant);

        // When
        var power = new RunComparer { Margin = 0.02, BootstrapResamples = 200 }.Compare(baseline, candidate).Suites["s"].Power!;

        // Then
        Assert.Equal(0.2, power.DiscordantProportion, 12);
        Assert.Equal(detectable, power.MarginDetectable);
        Assert.Equal(detectable, power.MinimumDetectableDifference <= 0.02);
        Assert.Contains(detectable ? "within reach" : "too small to detect a 2-point drop", power.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Give_No_Power_Note_When_No_Pair_Is_Discordant()
    {
        // Given: identical answers
        var (baseline, candidate) = Paired(50, 0);

        // When
        var suite = Comparer.Compare(baseline, candidate).Suites["s"];

        // Then
        Assert.Null(suite.Power);
    }

    [Fact]
    public void Should_Refuse_Items_Present_In_One_Run_Only_Unless_Allowed()
    {
        // Given: q10 was answered in the baseline only
        var (baseline, candidate) = TwoRuns();

        // When
        var ex = Assert.Throws<InputException>(() => Comparer.Compare(baseline, candidate));

        // Then: the first difference, and the flag that allows it
        Assert.Contains("suite 's': item 'q10' is in the baseline run only", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-different-data", ex.Message, StringComparison.Ordinal);
        var allowed = Lenient.Compare(baseline, candidate);
        Assert.Equal(3, allowed.DataDifferences.Count);
        Assert.Contains(allowed.Warnings, w => w.Contains("differ in 3 way(s)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("gold", "gold answer 'A' in the baseline, 'C' in the candidate")]
    [InlineData("prompt", "prompt hash 1111")]
    [InlineData("label", "outcome label false in the baseline, true in the candidate")]
    [InlineData("cluster", "cluster 'p1' in the baseline, 'p2' in the candidate")]
    public void Should_Refuse_An_Item_That_Is_Not_The_Same_Question(string field, string expected)
    {
        // Given: q2 differs in one field
        var baseItems = Enumerable.Range(1, 3).Select(i => Runs.Item("s", $"q{i}", i != 2) with { PromptHash = new string('1', 64), ClusterId = "p1", Label = false }).ToList();
        var candItems = baseItems.Select(i => i.ItemId != "q2" ? i : field switch
        {
            "gold" => i with { Gold = "C" },
            "prompt" => i with { PromptHash = new string('2', 64) },
            "label" => i with { Label = true },
            _ => i with { ClusterId = "p2" },
        }).ToList();
        var baseline = new LoadedRun("/b", Runs.Result("b", "m1"), baseItems);
        var candidate = new LoadedRun("/c", Runs.Result("c", "m2"), candItems);

        // When
        var ex = Assert.Throws<InputException>(() => Comparer.Compare(baseline, candidate));
        var allowed = Lenient.Compare(baseline, candidate).Suites["s"];

        // Then
        Assert.Contains("item 'q2' is not the same question: " + expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, allowed.Mismatched);
        Assert.Equal(2, allowed.PairedItems);
    }

    [Fact]
    public void Should_Not_Count_The_Runners_Own_Predictions_File_As_Data()
    {
        // Given: the same questions file, each run replaying its own predictions file
        static LoadedRun Run(string id, string predictions, string hash, bool secondCorrect)
        {
            var result = Runs.Result(id, id);
            result = result with
            {
                Manifest = result.Manifest with
                {
                    DataFiles = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["/data/q.jsonl"] = "aa", [predictions] = hash },
                    Runner = result.Manifest.Runner with { Source = predictions },
                },
            };
            return new LoadedRun("/" + id, result, [Runs.Item("s", "q1", true), Runs.Item("s", "q2", secondCorrect)]);
        }

        // When
        var comparison = Comparer.Compare(Run("b", "/p/base.csv", "bb", false), Run("c", "/p/cand.csv", "cc", true));

        // Then
        Assert.Empty(comparison.DataDifferences);
    }

    [Fact]
    public void Should_Refuse_A_Data_File_With_Other_Content()
    {
        // Given
        static LoadedRun Run(string id, string hash)
        {
            var result = Runs.Result(id, id);
            result = result with { Manifest = result.Manifest with { DataFiles = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["/data/" + id + "/q.jsonl"] = hash } } };
            return new LoadedRun("/" + id, result, [Runs.Item("s", "q1", true)]);
        }

        // When
        var ex = Assert.Throws<InputException>(() => Comparer.Compare(Run("b", "0123456789abcdef"), Run("c", "fedcba9876543210")));

        // Then
        Assert.Contains("data file 'q.jsonl' differs: sha256 0123456789ab… in the baseline (/data/b/q.jsonl), fedcba987654… in the candidate (/data/c/q.jsonl)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Leave_Out_Risk_Items_Without_A_Score_As_Errored()
    {
        // Given: 6 decision points, 3 with the outcome; the candidate could not score one
        ItemResult Risk(string id, bool label, double? score) => new()
        {
            Suite = "r", ItemId = id, Status = score is null ? ItemStatus.Errored : ItemStatus.Scored, Label = label, Score = score, Explanation = "t",
        };
        ItemResult[] baseItems = [Risk("1", true, 0.9), Risk("2", true, 0.6), Risk("3", true, 0.4), Risk("4", false, 0.5), Risk("5", false, 0.2), Risk("6", false, 0.1)];
        ItemResult[] candItems = [Risk("1", true, 0.8), Risk("2", true, 0.7), Risk("3", true, null), Risk("4", false, 0.3), Risk("5", false, 0.6), Risk("6", false, 0.1)];

        // When
        var suite = Comparer.Compare(new LoadedRun("/b", Runs.Result("b", "m1"), baseItems), new LoadedRun("/c", Runs.Result("c", "m2"), candItems)).Suites["r"];

        // Then: 5 paired; baseline AUROC over them 6/6 = 1, candidate (0.8, 0.7 vs 0.3, 0.6, 0.1) 6/6 = 1
        Assert.Equal("risk", suite.Kind);
        Assert.Equal(5, suite.PairedItems);
        Assert.Equal(1, suite.ExcludedErrored);
        Assert.Equal(2, suite.Risk!.Positives);
        Assert.Equal(5, suite.Risk.Clusters);
        Assert.Equal(1.0, suite.Risk.Auroc.Baseline.Value!.Value, 12);
        Assert.Equal(1.0, suite.Risk.Auroc.Candidate.Value!.Value, 12);
        Assert.Empty(suite.Metrics);
    }

    [Fact]
    public void Should_Refuse_A_Risk_Suite_With_Too_Few_Outcomes_For_An_Auroc()
    {
        // Given: a single positive
        ItemResult Risk(string id, bool label, double score) => new() { Suite = "r", ItemId = id, Status = ItemStatus.Scored, Label = label, Score = score, Explanation = "t" };
        ItemResult[] items = [Risk("1", true, 0.9), Risk("2", false, 0.6), Risk("3", false, 0.4)];

        // When
        var ex = Assert.Throws<InputException>(() => Comparer.Compare(new LoadedRun("/b", Runs.Result("b", "m1"), items), new LoadedRun("/c", Runs.Result("c", "m2"), items)));

        // Then
        Assert.Contains("at least 2 paired items with the outcome and 2 without; found 1 and 2", ex.Message, StringComparison.Ordinal);
    }
}
