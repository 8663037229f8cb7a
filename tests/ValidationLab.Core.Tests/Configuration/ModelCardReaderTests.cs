using ValidationLab.Configuration;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Discovery;
using ValidationLab.Errors;
using ValidationLab.Exporters;

namespace ValidationLab.Core.Tests.Configuration;

/// <summary>The report's model card from a file (JSON or YAML), a config's model_card: (path or block), or --model-card.</summary>
public sealed class ModelCardReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Fixtures => Path.Combine(ValidationLab.Testing.TestRepository.Root, "fixtures");

    private static EvalConfig Load(RunOptions options) => new ConfigLoader(PluginCatalog.Discover()).Load(options);

    private string Config(string modelCardLine) => _dir.Write("run.yaml", $"""
        runner: baseline
        suites:
          - name: medqa
            data: {Path.Combine(Fixtures, "medqa", "medqa-fixture.jsonl")}
        {modelCardLine}
        """);

    [Fact]
    public void Should_Read_The_Fixture_Config_Model_Card_From_Its_File()
    {
        // When
        EvalConfig config = Load(new RunOptions { ConfigFile = Path.Combine(Fixtures, "configs", "medqa-model-card.yaml") });

        // Then: exactly the fixture file's texts
        ReportModelCard card = Assert.IsType<ReportModelCard>(config.ModelCard);
        Assert.StartsWith("A floor for comparison only", card.IntendedUse, StringComparison.Ordinal);
        Assert.StartsWith("USMLE-style multiple-choice questions", card.Population, StringComparison.Ordinal);
        Assert.StartsWith("Does not reason", card.Limitations, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Read_An_Inline_Block_And_Leave_Unstated_Keys_Null()
    {
        EvalConfig config = Load(new RunOptions { ConfigFile = Config("model_card: {intended_use: \"Triage support\", limitations: \"Adults only\"}") });

        Assert.Equal(new ReportModelCard("Triage support", null, "Adults only"), config.ModelCard);
    }

    [Fact]
    public void Should_Let_The_Flag_Replace_The_Config_Block_And_Read_Yaml_Files()
    {
        // Given: a YAML model card and a config with its own block
        string yaml = _dir.Write("card.yaml", "intended_use: From the flag\npopulation: |\n  Adults admitted to medical wards\n");

        // When
        EvalConfig config = Load(new RunOptions { ConfigFile = Config("model_card: {intended_use: From the config}"), ModelCard = yaml });

        // Then
        Assert.Equal(new ReportModelCard("From the flag", "Adults admitted to medical wards\n", null), config.ModelCard);
    }

    [Fact]
    public void Should_Have_No_Model_Card_When_None_Is_Given() =>
        Assert.Null(Load(new RunOptions { ConfigFile = Config("") }).ModelCard);

    [Theory]
    [InlineData("{\"intended_use\": \"x\",\n \"owner\": \"me\"}", 2, "model_card.owner", "unknown model card key 'owner'")]
    [InlineData("{\"intended_use\": [\"a\", \"b\"]}", 1, "model_card.intended_use", "must be text")]
    [InlineData("{\"population\": null}", 1, "model_card.population", "must be text")]
    [InlineData("{\"limitations\": \"  \"}", 1, "model_card.limitations", "is empty")]
    [InlineData("[\"intended_use\"]", 1, "model_card", "must be an object")]
    public void Should_Name_File_Line_And_Field_Of_A_Bad_Model_Card(string json, long line, string field, string message)
    {
        // Given
        string path = _dir.Write("model-card.json", json);

        // When
        var ex = Assert.Throws<InputException>(() => Load(new RunOptions { ConfigFile = Config("model_card: model-card.json") }));

        // Then: the model card file, not the config, is named
        Assert.Equal(path, ex.File);
        Assert.Equal(line, ex.Line);
        Assert.Equal(field, ex.Field);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Name_The_Line_Of_Malformed_Json_And_A_Missing_File()
    {
        string path = _dir.Write("broken.json", "{\n  \"intended_use\": \"x\"\n  \"population\": \"y\"\n}");

        var malformed = Assert.Throws<InputException>(() => Load(new RunOptions { ConfigFile = Config(""), ModelCard = path }));
        var missing = Assert.Throws<InputException>(() => Load(new RunOptions { ConfigFile = Config("model_card: nowhere.json") }));

        Assert.Equal(path, malformed.File);
        Assert.Equal(3, malformed.Line);
        Assert.Contains("not valid JSON or YAML", malformed.Message, StringComparison.Ordinal);
        Assert.Equal(_dir.Combine("nowhere.json"), missing.File);
        Assert.Contains("not found", missing.Message, StringComparison.Ordinal);
    }
}
