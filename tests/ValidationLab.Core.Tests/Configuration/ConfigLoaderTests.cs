using ValidationLab.Configuration;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Errors;
using ValidationLab.Discovery;
using ValidationLab.Runners;

namespace ValidationLab.Core.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ConfigLoader Loader()
    {
        var registry = PluginCatalog.Discover();
        registry.Add(new HeaderRunnerFactory());
        return new ConfigLoader(registry);
    }

    private InputException LoadFails(string yaml)
    {
        var path = _dir.Write("run.yaml", yaml);
        return Assert.Throws<InputException>(() => Loader().Load(new RunOptions { ConfigFile = path }));
    }

    [Fact]
    public void Should_Find_The_MedQA_Suite_And_Builtin_Runners_By_Discovery()
    {
        // Given / When
        var registry = PluginCatalog.Discover();

        // Then
        Assert.Contains("medqa", registry.Suites.Keys);
        Assert.Contains("baseline", registry.Runners.Keys);
        Assert.Contains("replay", registry.Runners.Keys);
    }

    [Fact]
    public void Should_Load_A_Yaml_Config_With_Paths_Resolved_Against_Its_Folder()
    {
        // Given
        var yaml = """
            seed: 7
            out: results/r1
            max_error_rate: 0.05
            runner:
              name: replay
              predictions: preds.csv
              id_column: realidx
              filter:
                model: gpt-4o
            suites:
              - name: medqa
                data: data/test.jsonl
                mode: generate
            """;
        var path = _dir.Write("run.yaml", yaml);

        // When
        var config = Loader().Load(new RunOptions { ConfigFile = path });

        // Then
        Assert.Equal(7, config.Seed);
        Assert.Equal(7, config.Runner.Seed);
        Assert.Equal(Path.Combine(_dir.Path, "results", "r1"), config.OutDirectory);
        Assert.Equal(0.05, config.MaxErrorRate);
        Assert.Equal("replay", config.Runner.Name);
        Assert.Equal(_dir.Path, config.Runner.BaseDirectory);
        Assert.Equal("preds.csv", config.Runner.Options["predictions"]);
        Assert.Equal("realidx", config.Runner.Options["id_column"]);
        Assert.Equal("gpt-4o", config.Runner.Options["filter.model"]);
        var suite = Assert.Single(config.Suites);
        Assert.Equal("medqa", suite.Name);
        Assert.Equal(Path.Combine(_dir.Path, "data", "test.jsonl"), suite.DataPath);
        Assert.Equal("generate", suite.Options["mode"]);
        Assert.Equal(7, suite.Seed);
        Assert.Equal(path, config.Origin);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(config.EffectiveYaml))), config.ConfigSha256);
        Assert.Equal(6, config.Runner.OptionLines["predictions"]);
        Assert.Equal(9, config.Runner.OptionLines["filter.model"]);
        Assert.Equal(13, suite.OptionLines["mode"]);
    }

    [Fact]
    public void Should_Give_Every_Plug_In_The_Seed_Of_The_Flag_Not_The_File_And_Hash_The_Effective_Configuration()
    {
        // Given: issue 7 — `--seed 1` was recorded while suites and runners still used the file's seed
        var path = _dir.Write("run.yaml", "seed: 7\nrunner: baseline\nsuites:\n  - name: medqa\n    data: d.jsonl\n");

        // When
        var fromFile = Loader().Load(new RunOptions { ConfigFile = path });
        var overridden = Loader().Load(new RunOptions { ConfigFile = path, Seed = 1 });

        // Then
        Assert.Equal((7, 7, 7), (fromFile.Seed, fromFile.Runner.Seed, fromFile.Suites[0].Seed));
        Assert.Equal((1, 1, 1), (overridden.Seed, overridden.Runner.Run.Seed, overridden.Suites[0].Run.Seed));
        Assert.Same(overridden.Run, overridden.Runner.Run);
        Assert.Same(overridden.Run, overridden.Suites[0].Run);
        Assert.NotEqual(fromFile.ConfigSha256, overridden.ConfigSha256);
        Assert.Contains("seed: 1\n", overridden.EffectiveYaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Read_A_Limit_From_The_File_And_Let_The_Flag_Override_It()
    {
        // Given
        var path = _dir.Write("run.yaml", "limit: {count: 5, sample: true}\nrunner: baseline\nsuites:\n  - name: medqa\n    data: d.jsonl\n");

        // When
        var fromFile = Loader().Load(new RunOptions { ConfigFile = path });
        var overridden = Loader().Load(new RunOptions { ConfigFile = path, Limit = 3 });

        // Then
        Assert.Equal(new ValidationLab.Configuration.RunLimit(5, true), fromFile.Run.Limit);
        Assert.Equal(new ValidationLab.Configuration.RunLimit(3, false), overridden.Run.Limit);
        Assert.NotEqual(fromFile.ConfigSha256, overridden.ConfigSha256);
    }

    [Theory]
    [InlineData("runner:\n  name: baseline\n  model: coin-flip\nsuites:\n  - name: medqa\n    data: d.jsonl\n", 3, "model")]
    [InlineData("runner: baseline\nsuites:\n  - name: medqa\n    data: d.jsonl\n    mode: guess\n", 5, "mode")]
    [InlineData("runner: baseline\nsuites:\n  - name: medqa\n    data: d.jsonl\n    shots: many\n", 5, "shots")]
    [InlineData("max_error_rate: 2\nrunner: baseline\nsuites:\n  - name: medqa\n    data: d.jsonl\n", 1, "max_error_rate")]
    [InlineData("runner: nosuch\nsuites:\n  - name: medqa\n    data: d.jsonl\n", 1, "runner")]
    [InlineData("seed: 1\nsuites:\n  - name: medqa\n    data: d.jsonl\n", 1, "runner")]
    [InlineData("runner: baseline\nlimit: {count: 0}\nsuites:\n  - name: medqa\n    data: d.jsonl\n", 2, "limit.count")]
    public async Task Should_Name_The_Line_Of_Every_Config_Mistake(string yaml, int line, string field)
    {
        // Given
        var path = _dir.Write("run.yaml", yaml);

        // When: some mistakes are found by the loader, others by the plug-in when the run creates it
        var ex = await Assert.ThrowsAsync<InputException>(async () =>
        {
            var config = Loader().Load(new RunOptions { ConfigFile = path, Out = _dir.Combine("out") });
            await new ValidationLab.Pipeline.EvaluationPipeline(PluginCatalog.Discover()).RunAsync(config, new ValidationLab.Pipeline.PipelineOptions(), CancellationToken.None);
        });

        // Then
        Assert.Equal((path, (long?)line, field), (ex.File, ex.Line, ex.Field));
    }

    [Fact]
    public void Should_Let_Seed_Out_And_Max_Error_Rate_Flags_Override_The_Config_File()
    {
        // Given
        var path = _dir.Write("run.yaml", "seed: 7\nrunner: baseline\nsuites:\n  - name: medqa\n    data: d.jsonl\n");

        // When
        var config = Loader().Load(new RunOptions { ConfigFile = path, Seed = 3, Out = "/tmp/elsewhere", MaxErrorRate = 0.5 });

        // Then
        Assert.Equal(3, config.Seed);
        Assert.Equal(3, config.Suites[0].Seed);
        Assert.Equal(3, config.Runner.Seed);
        Assert.Equal("/tmp/elsewhere", config.OutDirectory);
        Assert.Equal(0.5, config.MaxErrorRate);
        Assert.Contains("max_error_rate: 0.5\n", config.EffectiveYaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Name_The_File_And_Line_Of_An_Unknown_Top_Level_Key()
    {
        // Given: the unknown key is on line 3
        var yaml = "seed: 1\nrunner: baseline\ncolour: blue\nsuites:\n  - name: medqa\n    data: d.jsonl\n";

        // When
        var ex = LoadFails(yaml);

        // Then
        Assert.Equal(_dir.Combine("run.yaml"), ex.File);
        Assert.Equal(3, ex.Line);
        Assert.Equal("colour", ex.Field);
        Assert.Contains("colour", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{_dir.Combine("run.yaml")}:3: ", ex.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_An_Unknown_Runner_Setting_Naming_The_Key_And_The_Known_Ones()
    {
        // Given
        var yaml = "runner:\n  name: baseline\n  temperature: 0.2\nsuites:\n  - name: medqa\n    data: d.jsonl\n";

        // When
        var ex = LoadFails(yaml);

        // Then
        Assert.Equal("temperature", ex.Field);
        Assert.Contains("'temperature'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("model", ex.Message, StringComparison.Ordinal);
        Assert.Equal(_dir.Combine("run.yaml"), ex.File);
    }

    [Fact]
    public void Should_Refuse_An_Unknown_Suite_Setting_Naming_The_Key()
    {
        // Given
        var yaml = "runner: baseline\nsuites:\n  - name: medqa\n    data: d.jsonl\n    shot_count: 3\n";

        // When
        var ex = LoadFails(yaml);

        // Then
        Assert.Equal("shot_count", ex.Field);
        Assert.Contains("'shot_count'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("shots", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_An_Unknown_Runner_Setting_Given_As_A_Flag()
    {
        // Given
        var options = new RunOptions { Suite = "medqa", Data = "d.jsonl", RunnerOptions = ["colour=blue"] };

        // When
        var ex = Assert.Throws<InputException>(() => Loader().Load(options));

        // Then
        Assert.Equal("colour", ex.Field);
        Assert.Equal("command line", ex.File);
    }

    [Fact]
    public void Should_Name_The_Known_Suites_When_The_Suite_Is_Unknown()
    {
        // Given
        var options = new RunOptions { Suite = "medqb", Data = "d.jsonl" };

        // When
        var ex = Assert.Throws<InputException>(() => Loader().Load(options));

        // Then
        Assert.Contains("'medqb'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("medqa", ex.Message, StringComparison.Ordinal);
        Assert.Equal("suite", ex.Field);
    }

    [Fact]
    public void Should_Name_The_Known_Runners_When_The_Runner_Is_Unknown()
    {
        // Given
        var yaml = "runner: gpt5\nsuites:\n  - name: medqa\n    data: d.jsonl\n";

        // When
        var ex = LoadFails(yaml);

        // Then
        Assert.Contains("'gpt5'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("baseline", ex.Message, StringComparison.Ordinal);
        Assert.Contains("replay", ex.Message, StringComparison.Ordinal);
        Assert.Equal("runner", ex.Field);
    }

    [Fact]
    public void Should_Refuse_Config_Combined_With_Suite_Flag()
    {
        // Given
        var path = _dir.Write("run.yaml", "runner: baseline\nsuites:\n  - name: medqa\n    data: d.jsonl\n");

        // When
        var ex = Assert.Throws<InputException>(() => Loader().Load(new RunOptions { ConfigFile = path, Suite = "medqa" }));

        // Then
        Assert.Contains("--config", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--suite", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("seed: 1\nrunner: baseline\nsuites:\n  - name: medqa\n   data: d.jsonl\n", 5)]
    [InlineData("seed: 1\nrunner: baseline\nout: \"unterminated\nsuites: x\n", 3)]
    [InlineData("seed: 1\nseed: 2\nrunner: baseline\n", 2)]
    public void Should_Name_The_Line_Of_Malformed_Yaml(string yaml, long line)
    {
        // Given / When
        var ex = LoadFails(yaml);

        // Then
        Assert.Equal(_dir.Combine("run.yaml"), ex.File);
        Assert.Equal(line, ex.Line);
        Assert.Contains("YAML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Name_The_Line_Of_An_Unterminated_Flow_Sequence()
    {
        // Given: '[' opened on line 2 is never closed
        var yaml = "seed: 1\nrunner: [baseline\nsuites: x\n";

        // When
        var ex = LoadFails(yaml);

        // Then
        Assert.Equal(_dir.Combine("run.yaml"), ex.File);
        Assert.NotNull(ex.Line);
        Assert.Contains("YAML", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    public void Should_Refuse_Max_Error_Rate_Outside_Zero_To_One(string rate)
    {
        // Given
        var yaml = $"max_error_rate: {rate}\nrunner: baseline\nsuites:\n  - name: medqa\n    data: d.jsonl\n";

        // When
        var ex = LoadFails(yaml);

        // Then
        Assert.Equal("max_error_rate", ex.Field);
        Assert.Contains(rate, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Max_Error_Rate_Flag_Outside_Zero_To_One()
    {
        // Given
        var options = new RunOptions { Suite = "medqa", Data = "d.jsonl", MaxErrorRate = 2 };

        // When
        var ex = Assert.Throws<InputException>(() => Loader().Load(options));

        // Then
        Assert.Equal("max_error_rate", ex.Field);
    }

    [Fact]
    public void Should_Flatten_Nested_Maps_With_Dots()
    {
        // Given
        var yaml = """
            runner:
              name: with-headers
              headers:
                X-A: 1
                X-Trace:
                  id: abc
            suites:
              - name: medqa
                data: d.jsonl
            """;
        var path = _dir.Write("run.yaml", yaml);

        // When
        var config = Loader().Load(new RunOptions { ConfigFile = path });

        // Then
        Assert.Equal("1", config.Runner.Options["headers.X-A"]);
        Assert.Equal("abc", config.Runner.Options["headers.X-Trace.id"]);
        Assert.Equal(2, config.Runner.Options.Count);
    }

    [Fact]
    public void Should_Build_The_Embedded_Default_From_Suites_With_Bundled_Fixtures()
    {
        // Given / When
        var config = Loader().Load(new RunOptions());

        // Then
        Assert.Equal(ConfigLoader.DefaultRunner, config.Runner.Name);
        var medqa = Assert.Single(config.Suites, s => s.Name == "medqa");
        Assert.True(File.Exists(medqa.DataPath), $"bundled fixture missing at {medqa.DataPath}");
    }

    [Fact]
    public void Should_Never_Write_A_Header_Value_Into_The_Effective_Configuration()
    {
        // Given: a header carrying a credential
        var path = _dir.Write("run.yaml", "runner:\n  name: with-headers\n  headers:\n    Authorization: Bearer sk-live-123\n    X-Trace: abc\nsuites:\n  - name: medqa\n    data: d.jsonl\n");

        // When
        var config = Loader().Load(new RunOptions { ConfigFile = path });

        // Then: the keys are recorded, never the values
        Assert.DoesNotContain("sk-live-123", config.EffectiveYaml, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", config.EffectiveYaml, StringComparison.Ordinal);
        Assert.Contains("\"headers.Authorization\": \"<redacted>\"", config.EffectiveYaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("headers.X-Api-Key", true)]
    [InlineData("api_key", true)]
    [InlineData("access_token", true)]
    [InlineData("api_key_env", false)]
    [InlineData("max_tokens", false)]
    [InlineData("model", false)]
    public void Should_Tell_Secret_Option_Keys_From_Ordinary_Ones(string key, bool secret) =>
        Assert.Equal(secret, EffectiveConfig.IsSecret(key));

    [Fact]
    public void Should_Read_Back_The_Effective_Configuration_As_The_Same_Configuration()
    {
        // Given: a run's config.yaml, as written to its folder
        var path = _dir.Write("run.yaml", "seed: 4\nmax_error_rate: 0.1\nlimit: 9\nrunner:\n  name: baseline\n  model: random\nsuites:\n  - name: medqa\n    data: d.jsonl\n    mode: loglikelihood\n");
        var first = Loader().Load(new RunOptions { ConfigFile = path, Seed = 5 });
        var written = _dir.Write("config.yaml", first.EffectiveYaml);

        // When
        var again = Loader().Load(new RunOptions { ConfigFile = written });

        // Then: the same effective configuration, so the same hash
        Assert.Equal(first.EffectiveYaml, again.EffectiveYaml);
        Assert.Equal(first.ConfigSha256, again.ConfigSha256);
    }

    /// <summary>A runner that accepts any "headers." setting, to observe flattening.</summary>
    private sealed class HeaderRunnerFactory : IRunnerFactory
    {
        public string Name => "with-headers";

        public string Description => "test";

        public IReadOnlyCollection<string> OptionKeys { get; } = ["headers."];

        public IModelRunner Create(RunnerSettings settings) => throw new NotSupportedException();
    }
}
