using ValidationLab.Configuration;
using ValidationLab.Errors;
using ValidationLab.Discovery;

namespace ValidationLab.Core.Tests.Configuration;

/// <summary>The example configs under fixtures/configs are documentation users copy: they must stay valid.</summary>
public sealed class FixtureConfigTests
{
    public static TheoryData<string> Configs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(ConfigFolder(), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Should_Load_Every_Example_Config(string name)
    {
        // Given: the endpoint example names a key variable; give it a value so only the config itself is judged
        Environment.SetEnvironmentVariable("MODEL_API_KEY", "sk-fixture-config-test");
        var loader = new ConfigLoader(PluginCatalog.Discover());

        // When
        var config = loader.Load(new RunOptions { ConfigFile = Path.Combine(ConfigFolder(), name) });

        // Then: every suite's data file exists, and the runner accepts its settings
        Assert.NotEmpty(config.Suites);
        Assert.All(config.Suites, s => Assert.True(File.Exists(s.DataPath), s.DataPath));
        var runner = PluginCatalog.Discover().Runner(config.Runner.Name, config.Runner.Origin).Create(config.Runner);
        Assert.NotNull(runner.Identity);
    }

    [Fact]
    public void Should_Find_The_Example_Configs()
    {
        Assert.True(Configs().Count >= 3);
    }

    private static string ConfigFolder() => Path.Combine(ValidationLab.Testing.TestRepository.Root, "fixtures", "configs");
}
