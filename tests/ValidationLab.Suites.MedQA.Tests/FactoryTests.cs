using System.Reflection;
using ValidationLab.Errors;

namespace ValidationLab.Suites.MedQA.Tests;

public sealed class FactoryTests
{
    private static string FixturePath => RepoPaths.Fixture("medqa-fixture.jsonl");

    [Fact]
    public void Should_Register_Factory_On_The_Assembly()
    {
        // Given
        var assembly = typeof(MedQaSuiteFactory).Assembly;

        // When
        var registered = assembly.GetCustomAttributes<SuiteFactoryAttribute>().Select(a => a.FactoryType);

        // Then
        Assert.Equal([typeof(MedQaSuiteFactory)], registered);
    }

    [Fact]
    public void Should_Describe_Name_Options_And_Bundled_Fixture()
    {
        // Given
        var factory = new MedQaSuiteFactory();

        // When / Then
        Assert.Equal("medqa", factory.Name);
        Assert.Equal(["mode", "shots", "exemplars", "max_tokens", "system_prompt", "probe"], factory.OptionKeys);
        Assert.Equal("fixtures/medqa/medqa-fixture.jsonl", factory.DefaultDataPath);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, factory.DefaultDataPath!)), "fixture not copied next to the binaries");
    }

    [Theory]
    [InlineData("mode", "sample", "mode", "'sample' is not a mode; use 'generate' or 'loglikelihood'")]
    [InlineData("shots", "two", "shots", "'two' is not a whole number")]
    [InlineData("shots", "-1", "shots", "must be 0 or more, found -1")]
    [InlineData("shots", "3", "exemplars", "shots = 3 needs an exemplar file")]
    [InlineData("max_tokens", "0", "max_tokens", "must be 1 or more, found 0")]
    [InlineData("temperature", "0.7", "temperature", "the medqa suite has no option 'temperature'")]
    public void Should_Refuse_Bad_Options_Before_Reading_Data(string key, string value, string field, string message)
    {
        // Given / When
        var error = Assert.Throws<InputException>(() => Suites.Create(FixturePath, 0, (key, value)));

        // Then
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Resolve_Exemplar_Path_And_List_Input_Files()
    {
        // Given
        var settings = new SuiteSettings
        {
            Name = "medqa",
            DataPath = FixturePath,
            BaseDirectory = Path.GetDirectoryName(FixturePath)!,
            Options = new Dictionary<string, string> { ["shots"] = "1", ["exemplars"] = "exemplars.jsonl", ["mode"] = "LogLikelihood" },
        };

        // When
        var suite = new MedQaSuiteFactory().Create(settings);

        // Then
        Assert.Equal([FixturePath, RepoPaths.Fixture("exemplars.jsonl")], suite.InputFiles);
        Assert.Equal("loglikelihood", suite.Mode);
    }

    [Fact]
    public async Task Should_Refuse_Missing_Data_File_On_Load()
    {
        // Given
        var suite = Suites.Create(Path.Combine(AppContext.BaseDirectory, "missing.jsonl"));

        // When
        var error = await Assert.ThrowsAsync<InputException>(() => suite.LoadAsync(CancellationToken.None));

        // Then
        Assert.Equal("file not found", error.Message);
    }

    [Fact]
    public void Should_Refuse_Requests_Before_Load()
    {
        // Given
        var suite = Suites.Create(FixturePath);
        var item = new Items.EvalItem<MedQaQuestion> { Id = "x", Input = "q", Payload = Records.Question() };

        // When / Then
        Assert.Throws<InvalidOperationException>(() => suite.CreateRequests(item));
    }
}
