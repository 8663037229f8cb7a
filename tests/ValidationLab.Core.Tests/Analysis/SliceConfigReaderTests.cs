using ValidationLab.Analysis.Slicing;
using ValidationLab.Configuration;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Discovery;
using ValidationLab.Errors;

namespace ValidationLab.Core.Tests.Analysis;

/// <summary>The slices: section of a run config, read through the config loader's hook.</summary>
public sealed class SliceConfigReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private EvalConfig Load(string slices)
    {
        _dir.Write("preds.csv", "item_id,response\n1,A\n");
        var path = _dir.Write("run.yaml", "seed: 3\nrunner:\n  name: replay\n  predictions: preds.csv\nsuites:\n  - name: medqa\n    data: medqa.jsonl\n" + slices);
        return new ConfigLoader(PluginCatalog.Discover()).Load(new RunOptions { ConfigFile = path });
    }

    [Fact]
    public void Should_Read_Attributes_Intersections_Bands_Groupings_And_Options()
    {
        // Given / When
        var config = Load("""
            slices:
              attributes: [sex, age_band, ethnicity]
              intersections: ["sex x age_band", "sex × age_band × ethnicity"]
              age_bands: [18, 45, 65]
              groupings:
                ethnicity:
                  White: [WHITE, WHITE - RUSSIAN]
                  Other: [ASIAN]
              reference: overall
              correction: bh
              min_cell: 10
            """);

        // Then
        var s = config.Slices!;
        Assert.Equal(["sex", "age_band", "ethnicity", "sex x age_band", "sex x age_band x ethnicity"], s.Families.Select(f => f.Name));
        Assert.Equal([18, 45, 65], s.AgeBands!);
        Assert.Equal("White", s.Groupings["ethnicity"].GroupOf["WHITE - RUSSIAN"]);
        Assert.Equal(SliceReferenceKind.Overall, s.Reference);
        Assert.Equal(SliceCorrection.BenjaminiHochberg, s.Correction);
        Assert.Equal(10, s.MinCell);
        Assert.Equal(10, s.Lines["sex x age_band"]);
    }

    [Fact]
    public void Should_Default_To_Holm_Largest_Reference_And_Min_Cell_20()
    {
        var s = Load("slices:\n  attributes: [sex]\n").Slices!;
        Assert.Equal((SliceCorrection.Holm, SliceReferenceKind.Largest, 20), (s.Correction, s.Reference, s.MinCell));
    }

    [Fact]
    public void Should_Have_No_Slices_When_The_Config_Declares_None()
    {
        Assert.Null(Load("").Slices);
    }

    [Theory]
    [InlineData("slices:\n  intersections: [\"sex x age_band x site x language\"]\n", 9, "slices.intersections", "crosses 4 attributes")]
    [InlineData("slices:\n  attributes: [sex]\n  correction: bonferroni\n", 10, "slices.correction", "not a correction")]
    [InlineData("slices:\n  attributes: [sex]\n  min_cell: 0\n", 10, "slices.min_cell", "1 or more")]
    [InlineData("slices:\n  attributes: [sex]\n  colour: red\n", 10, "slices.colour", "unknown key")]
    [InlineData("slices:\n  attributes: [sex, sex]\n", 9, "slices.attributes", "declared twice")]
    [InlineData("slices:\n  attributes: [sex]\n  age_bands: [65, 18]\n", 10, "slices.age_bands", "increasing")]
    [InlineData("slices:\n  attributes: [sex]\n  reference: named\n", 9, "slices.reference_groups", "needs a reference group for 'sex'")]
    public void Should_Name_File_Line_And_Key_When_The_Section_Is_Wrong(string slices, int line, string field, string message)
    {
        // When
        var ex = Assert.Throws<InputException>(() => Load(slices));

        // Then
        Assert.EndsWith("run.yaml", ex.File, StringComparison.Ordinal);
        Assert.Equal(line, ex.Line);
        Assert.Equal(field, ex.Field);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
