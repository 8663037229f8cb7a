using ValidationLab.Errors;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Runners.Baseline;

namespace ValidationLab.Core.Tests.Runners;

/// <summary>The baseline as the longitudinal suite's embedded default model: published scores on their scales (issue 8).</summary>
public sealed class BaselineRiskTests
{
    private static IModelRunner Create(string? feature = null)
    {
        var options = feature is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["risk_feature"] = feature };
        return new BaselineRunnerFactory().Create(new RunnerSettings { Name = "baseline", Options = options, Origin = "run.yaml", Seed = 1 });
    }

    private static RiskRequest Risk(IReadOnlyDictionary<string, double>? features, string id = "dp1") => new()
    {
        Suite = "longitudinal",
        ItemId = id,
        PatientId = "p1",
        AsOf = new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero),
        Outcome = "deterioration",
        Context = "(summary)",
        Features = features,
    };

    [Theory]
    [InlineData(null, "news2", 7.0, 0.35)]
    [InlineData("news2", "news2", 0.0, 0.0)]
    [InlineData("news2", "news2", 20.0, 1.0)]
    [InlineData("qsofa", "qsofa", 2.0, 2.0 / 3.0)]
    [InlineData("kdigo_stage", "kdigo_stage", 1.0, 1.0 / 3.0)]
    [InlineData("sofa", "sofa", 6.0, 0.25)]
    [InlineData("lactate", "lactate", 4.0, 0.4)]
    [InlineData("lactate", "lactate", 14.2, 1.0)]
    public async Task Should_Map_The_Feature_To_Its_Published_Scale(string? option, string feature, double value, double expected)
    {
        // Given
        await using var runner = Create(option);

        // When
        var response = await runner.ExecuteAsync(Risk(new Dictionary<string, double> { [feature] = value, ["heart_rate"] = 130 }), CancellationToken.None);

        // Then
        Assert.False(response.IsError, response.Error?.Message);
        Assert.Equal(expected, response.Probability!.Value, 1e-15);
        Assert.Equal($"baseline:{feature}", response.Method);
        Assert.Equal(expected, double.Parse(response.Text!, System.Globalization.CultureInfo.InvariantCulture), 1e-15);
    }

    [Fact]
    public async Task Should_Be_Strictly_Monotone_Over_The_Whole_News2_Scale()
    {
        // Given
        await using var runner = Create();
        var scores = new List<double>();

        // When
        for (int news2 = 0; news2 <= 20; news2++)
        {
            var response = await runner.ExecuteAsync(Risk(new Dictionary<string, double> { ["news2"] = news2 }), CancellationToken.None);
            scores.Add(response.Probability!.Value);
        }

        // Then
        Assert.Contains(RequestKind.Risk, runner.SupportedKinds);
        Assert.All(scores.Zip(scores.Skip(1)), pair => Assert.True(pair.Second > pair.First));
    }

    [Fact]
    public async Task A_Request_Without_The_Feature_Should_Be_Errored_With_The_Reason_Never_Guessed()
    {
        // Given
        await using var runner = Create();

        // When
        var missing = await runner.ExecuteAsync(Risk(new Dictionary<string, double> { ["qsofa"] = 2, ["lactate"] = 3.1 }), CancellationToken.None);
        var none = await runner.ExecuteAsync(Risk(null, "dp2"), CancellationToken.None);

        // Then
        Assert.Equal("missing_feature", missing.Error!.Kind);
        Assert.Contains("'news2'", missing.Error.Message);
        Assert.Contains("lactate, qsofa", missing.Error.Message);
        Assert.Null(missing.Probability);
        Assert.Equal("missing_feature", none.Error!.Kind);
        Assert.Contains("features: none", none.Error.Message);
        Assert.Equal("dp2", none.ItemId);
    }

    [Theory]
    [InlineData("news2", 21.0)]
    [InlineData("news2", -1.0)]
    [InlineData("qsofa", 4.0)]
    [InlineData("lactate", double.NaN)]
    public async Task A_Value_Off_The_Scale_Should_Be_Errored_Not_Clipped(string feature, double value)
    {
        await using var runner = Create(feature);
        var response = await runner.ExecuteAsync(Risk(new Dictionary<string, double> { [feature] = value }), CancellationToken.None);
        Assert.Equal("invalid_feature", response.Error!.Kind);
        Assert.Contains(feature, response.Error.Message);
    }

    [Fact]
    public void An_Unknown_Risk_Feature_Should_Be_Refused_Naming_The_Setting()
    {
        var e = Assert.Throws<InputException>(() => Create("apache2"));
        Assert.Equal("risk_feature", e.Field);
        Assert.Equal("run.yaml", e.File);
        Assert.Contains("news2", e.Message);
    }

    [Fact]
    public async Task The_Risk_Feature_Should_Be_Part_Of_The_Runner_Identity()
    {
        await using var news2 = Create();
        await using var qsofa = Create("qsofa");
        Assert.NotEqual(news2.Identity.Fingerprint, qsofa.Identity.Fingerprint);
    }
}
