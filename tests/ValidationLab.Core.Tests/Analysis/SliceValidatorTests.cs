using ValidationLab.Analysis.Slicing;
using ValidationLab.Errors;
using ValidationLab.Items;

namespace ValidationLab.Core.Tests.Analysis;

/// <summary>The checks that need the loaded items, made before the first model call.</summary>
public sealed class SliceValidatorTests
{
    private static EvalItem Item(string id, params (string Key, string Value)[] strata) => new()
    {
        Id = id,
        Input = "q",
        Payload = id,
        Strata = new SortedDictionary<string, string>(strata.ToDictionary(s => s.Key, s => s.Value), StringComparer.Ordinal),
    };

    private static readonly IReadOnlyList<EvalItem> Items =
        [Item("1", ("sex", "female"), ("ethnicity", "WHITE"), ("age", "34")), Item("2", ("sex", "male"), ("ethnicity", "ASIAN - CHINESE"), ("age", "70"))];

    private static SliceSettings Settings(params string[][] families) => new()
    {
        Families = families.Select(f => new SliceFamilySpec(f)).ToList(),
        Origin = "run.yaml",
        Lines = families.Select((f, i) => (string.Join(" x ", f), (long)(20 + i))).ToDictionary(p => p.Item1, p => p.Item2),
    };

    [Fact]
    public void Should_Refuse_A_Slice_Over_An_Attribute_No_Item_Has()
    {
        var ex = Assert.Throws<InputException>(() => SliceValidator.Check(Settings(["sex"], ["sex", "insurance"]), [("medqa", Items)]));
        Assert.Equal(("run.yaml", 21L, "slices.intersections"), (ex.File, ex.Line, ex.Field));
        Assert.Contains("'insurance'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("items carry: age, ethnicity, sex", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Accept_Age_Band_When_Age_Bands_Are_Declared_And_Items_Carry_Age()
    {
        SliceValidator.Check(Settings(["age_band"]) with { AgeBands = [18, 65] }, [("medqa", Items)]);
        Assert.Throws<InputException>(() => SliceValidator.Check(Settings(["age_band"]), [("medqa", Items)]));
    }

    [Fact]
    public void Should_Refuse_A_Grouping_That_Leaves_A_Value_Unmapped()
    {
        var settings = Settings(["ethnicity"]) with
        {
            Groupings = new Dictionary<string, SliceGrouping> { ["ethnicity"] = new(new Dictionary<string, string> { ["WHITE"] = "White" }, 31) },
        };
        var ex = Assert.Throws<InputException>(() => SliceValidator.Check(settings, [("medqa", Items)]));
        Assert.Equal((31L, "slices.groupings.ethnicity"), (ex.Line, ex.Field));
        Assert.Contains("1 value(s) unmapped: 'ASIAN - CHINESE'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_A_Named_Reference_That_Matches_No_Item()
    {
        var settings = Settings(["sex"]) with { Reference = SliceReferenceKind.Named, ReferenceGroups = new Dictionary<string, string> { ["sex"] = "Female" } };
        var ex = Assert.Throws<InputException>(() => SliceValidator.Check(settings, [("medqa", Items)]));
        Assert.Equal("slices.reference_groups.sex", ex.Field);
    }
}
