using ValidationLab.Core.Tests.Support;
using ValidationLab.Errors;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Runners.Baseline;

namespace ValidationLab.Core.Tests.Runners;

public sealed class BaselineRunnerTests
{
    private static IModelRunner Create(string? model, int seed)
    {
        var options = model is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["model"] = model };
        return new BaselineRunnerFactory().Create(new RunnerSettings { Name = "baseline", Options = options, Seed = seed });
    }

    private static async Task<List<string?>> Answers(IModelRunner runner, int items)
    {
        var answers = new List<string?>();
        for (var i = 0; i < items; i++)
        {
            answers.Add((await runner.ExecuteAsync(TestRequests.Generate($"q{i}"), CancellationToken.None)).Text);
        }

        return answers;
    }

    [Theory]
    [InlineData("random")]
    [InlineData("lexical-overlap")]
    [InlineData("first-option")]
    public async Task Should_Give_The_Same_Answers_For_The_Same_Seed(string model)
    {
        // Given
        await using var first = Create(model, 5);
        await using var second = Create(model, 5);

        // When
        var a = await Answers(first, 40);
        var b = await Answers(second, 40);

        // Then
        Assert.Equal(a, b);
        Assert.Equal(first.Identity, second.Identity);
    }

    [Fact]
    public async Task Should_Give_Different_Random_Answers_For_A_Different_Seed()
    {
        // Given
        await using var seed1 = Create("random", 1);
        await using var seed2 = Create("random", 2);

        // When
        var a = await Answers(seed1, 40);
        var b = await Answers(seed2, 40);

        // Then: 40 four-way draws agreeing by chance has probability 4^-40
        Assert.NotEqual(a, b);
        Assert.NotEqual(seed1.Identity.Fingerprint, seed2.Identity.Fingerprint);
    }

    [Fact]
    public async Task Should_Spread_Random_Answers_Over_The_Options()
    {
        // Given
        await using var runner = Create("random", 0);

        // When
        var answers = await Answers(runner, 200);

        // Then
        Assert.Equal(4, answers.Distinct().Count());
    }

    [Fact]
    public async Task Should_Always_Pick_The_First_Option_For_First_Option()
    {
        // Given
        await using var runner = Create("first-option", 3);

        // When
        var text = await Answers(runner, 10);
        var ll = await runner.ExecuteAsync(TestRequests.LogLikelihood("q1"), CancellationToken.None);

        // Then
        Assert.All(text, t => Assert.Equal("The answer is (A).", t));
        var values = ll.LogLikelihoods!.ToList();
        Assert.Equal(4, values.Count);
        Assert.Equal(0, values.IndexOf(values.Max()));
        Assert.Single(values, v => v == values.Max());
    }

    [Fact]
    public async Task Should_Answer_Without_A_Letter_When_There_Are_No_Choices()
    {
        // Given
        await using var runner = Create(null, 0);
        var request = TestRequests.Generate("q1") with { Choices = null };

        // When
        var response = await runner.ExecuteAsync(request, CancellationToken.None);

        // Then
        Assert.Null(response.Error);
        Assert.DoesNotContain("(A)", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_An_Unknown_Baseline_Model_Naming_The_Known_Ones()
    {
        // Given / When
        var ex = Assert.Throws<InputException>(() => Create("gpt-5", 0));

        // Then
        Assert.Equal("model", ex.Field);
        Assert.Contains("'gpt-5'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("first-option", ex.Message, StringComparison.Ordinal);
        Assert.Contains("random", ex.Message, StringComparison.Ordinal);
    }
}
