using System.Text.Json;
using ValidationLab.Analysis.Slicing;
using ValidationLab.Output;
using ValidationLab.Results;
using ValidationLab.Statistics;

namespace ValidationLab.Core.Tests.Analysis;

/// <summary>Behaviour of the slicing stage beyond the reference values: comparators, clustering, suppression.</summary>
public sealed class SliceAnalyzerTests
{
    private static readonly SliceTestSuite Suite = new("s");

    private static List<ItemResult> Items(params (string Group, int N, int Correct, int PerPatient)[] groups)
    {
        var items = new List<ItemResult>();
        foreach (var (group, n, correct, perPatient) in groups)
        {
            for (var i = 0; i < n; i++)
            {
                // Items of one patient share their outcome: clustered data whose effective n is n / perPatient.
                var patient = i / perPatient;
                items.Add(SliceTestSuite.Item("s", $"{group}-{i}", patient * perPatient < correct,
                    new SortedDictionary<string, string>(StringComparer.Ordinal) { ["site"] = group }, cluster: perPatient > 1 ? $"{group}-p{patient}" : null));
            }
        }

        return items;
    }

    private static Results.Slices.SliceReport Analyze(List<ItemResult> items, SliceSettings? settings = null, int seed = 1) =>
        SliceAnalyzer.Analyze(settings ?? new SliceSettings { Families = [new(["site"])] }, [new SliceInput(Suite, items, Suite.Aggregate(items))], seed);

    [Fact]
    public void Should_Compare_With_The_Complement_When_The_Reference_Is_Overall()
    {
        // Given: a 60/100, b 30/100, c 45/100; overall 135/300
        var items = Items(("a", 100, 60, 1), ("b", 100, 30, 1), ("c", 100, 45, 1));

        // When
        var family = Analyze(items, new SliceSettings { Families = [new(["site"])], Reference = SliceReferenceKind.Overall }).Suites["s"].Families["site"];

        // Then: the gap is to the overall 45%, the test is a (60/100) against the rest (75/200)
        Assert.Equal("overall", family.ReferenceGroup);
        var a = family.Groups["a"].Metrics["accuracy"];
        Assert.Equal(0.60 - 0.45, a.Difference!.Value, 12);
        Assert.Equal(GroupTests.TwoProportionZ(60, 100, 75, 200).PValue, a.Test!.PValue, 12);
        Assert.All(family.Groups.Values, g => Assert.False(g.IsReference));
    }

    [Fact]
    public void Should_Resample_Patients_When_Items_Are_Clustered_And_Be_Reproducible()
    {
        // Given: 5 identical items per patient (each patient counts once, not five times)
        var clustered = Items(("a", 200, 120, 5), ("b", 100, 45, 5));
        var independent = Items(("a", 200, 120, 1), ("b", 100, 45, 1));

        // When
        var first = Analyze(clustered, seed: 3).Suites["s"].Families["site"];
        var again = Analyze(clustered, seed: 3).Suites["s"].Families["site"];
        var iid = Analyze(independent).Suites["s"].Families["site"];

        // Then: a cluster bootstrap, with the patients counted, and a wider null than items treated as independent
        var test = first.Groups["b"].Metrics["accuracy"].Test!;
        Assert.StartsWith("Cluster bootstrap", test.Method, StringComparison.Ordinal);
        Assert.Equal(20, first.Groups["b"].Clusters);
        Assert.Equal(test.PValue, again.Groups["b"].Metrics["accuracy"].Test!.PValue);
        var iidTest = iid.Groups["b"].Metrics["accuracy"].Test!;
        Assert.StartsWith("Two-proportion z", iidTest.Method, StringComparison.Ordinal);
        Assert.True(test.PValue > iidTest.PValue * 5, $"cluster p {test.PValue} should be far above the iid p {iidTest.PValue}");
        Assert.True(first.Groups["b"].Metrics["accuracy"].MinimumDetectableDifference > iid.Groups["b"].Metrics["accuracy"].MinimumDetectableDifference);
    }

    [Fact]
    public void Should_Suppress_A_Slice_With_Too_Few_Patients_Even_When_It_Has_Enough_Items()
    {
        // Given: 'b' has 50 items but only 10 patients
        var items = Items(("a", 100, 60, 1), ("b", 50, 20, 5));

        // When
        var group = Analyze(items).Suites["s"].Families["site"].Groups["b"];

        // Then
        Assert.True(group.Suppressed);
        Assert.Equal("< 20", group.Size);
    }

    [Fact]
    public void Should_Aggregate_Groups_Through_The_Suites_Prepared_Run_When_It_Offers_One()
    {
        // Given: the same items and metrics, from a suite without and one with ISubsetAggregator; clustered 'b'
        var items = Items(("a", 100, 60, 1), ("b", 100, 45, 5), ("tiny", 7, 7, 1));
        var prepared = new PreparedSliceTestSuite("s");
        var settings = new SliceSettings { Families = [new(["site"])], BootstrapResamples = 200 };

        // When
        var plain = Analyze(items, settings);
        var overall = prepared.Aggregate(items);
        var viaHook = SliceAnalyzer.Analyze(settings, [new SliceInput(prepared, items, overall)], 1);

        // Then: one read of the run, one aggregation per group that is not suppressed, each over exactly the
        // group's items in item order, never the suite's Aggregate per group; and the very same report
        Assert.Equal(1, prepared.Prepared);
        Assert.Equal(1, prepared.PlainAggregates);
        Assert.Equal(
            ["a-0..a-99", "b-0..b-99"],
            prepared.Subsets.Select(s => $"{items[s[0]].ItemId}..{items[s[^1]].ItemId}").Order(StringComparer.Ordinal));
        Assert.All(prepared.Subsets, s => Assert.Equal(s.Order(), s));
        Assert.All(prepared.Subsets, s => Assert.Equal(100, s.Length));
        Assert.Equal(JsonSerializer.Serialize(plain, ResultsJson.Indented), JsonSerializer.Serialize(viaHook, ResultsJson.Indented));
    }

    [Fact]
    public void Should_Write_No_Count_Or_Estimate_Of_A_Suppressed_Slice_To_Results_Json()
    {
        // Given: 'tiny' has 7 items, all correct
        var items = Items(("a", 100, 60, 1), ("b", 80, 40, 1), ("tiny", 7, 7, 1));

        // When
        var json = JsonSerializer.Serialize(Analyze(items), ResultsJson.Indented);
        var tiny = JsonDocument.Parse(json).RootElement.GetProperty("suites").GetProperty("s").GetProperty("families").GetProperty("site").GetProperty("groups").GetProperty("tiny");

        // Then
        Assert.Equal("< 20", tiny.GetProperty("size").GetString());
        Assert.Equal(JsonValueKind.Null, tiny.GetProperty("n").ValueKind);
        Assert.Empty(tiny.GetProperty("metrics").EnumerateObject());
        Assert.DoesNotContain("\"7\"", tiny.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(SliceConsole.Lines(Analyze(items)), l => l == "slice s site = tiny: suppressed (n < 20)");
    }

    [Fact]
    public void Should_Use_The_Named_Reference_Group_And_Flag_Significant_Gaps_On_The_Console()
    {
        // Given
        var items = Items(("a", 100, 90, 1), ("b", 300, 150, 1));
        var settings = new SliceSettings
        {
            Families = [new(["site"])],
            Reference = SliceReferenceKind.Named,
            ReferenceGroups = new Dictionary<string, string> { ["site"] = "a" },
        };

        // When
        var report = Analyze(items, settings);

        // Then
        var family = report.Suites["s"].Families["site"];
        Assert.Equal("a", family.ReferenceGroup);
        Assert.Equal(-0.40, family.Groups["b"].Metrics["accuracy"].Difference!.Value, 12);
        Assert.Contains(SliceConsole.Lines(report), l => l.StartsWith("slice s site = b: accuracy differs from a by -0.4000", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Report_A_Declared_Slice_As_Not_Applicable_To_A_Suite_Whose_Items_Lack_It()
    {
        var items = Items(("a", 30, 20, 1));
        var report = Analyze(items, new SliceSettings { Families = [new(["site"]), new(["insurance"])] });
        Assert.Equal(["insurance"], report.Suites["s"].NotApplicable);
    }
}
