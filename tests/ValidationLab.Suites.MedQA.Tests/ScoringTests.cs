using ValidationLab.Requests;
using ValidationLab.Results;

namespace ValidationLab.Suites.MedQA.Tests;

public sealed class ScoringTests
{
    private static string FixturePath => RepoPaths.Fixture("medqa-fixture.jsonl");

    [Fact]
    public async Task Should_Score_Extracted_Letter_Against_Gold()
    {
        // Given: item 0's gold is C
        var (suite, items) = await Suites.LoadAsync(FixturePath);
        var requests = suite.CreateRequests(items[0]);

        // When
        var right = suite.Score(items[0], requests, [Suites.Text(requests[0], "B12 deficiency.\nThe answer is (C)", 812.5)]);
        var wrong = suite.Score(items[0], requests, [Suites.Text(requests[0], "A")]);

        // Then
        Assert.Equal((ItemStatus.Scored, "C", true), (right.Status, right.Prediction, right.Correct));
        Assert.Equal("C", right.Gold);
        Assert.Equal("B12 deficiency.\nThe answer is (C)", right.Response);
        Assert.Equal(RequestHasher.Hash(requests[0]), right.PromptHash);
        Assert.Equal(812.5, right.LatencyMs);
        Assert.Equal("extracted C from the stated answer 'answer is (C)'; gold is C, so correct", right.Explanation);
        Assert.Equal("step1", right.Strata["meta_info"]);
        Assert.Equal((ItemStatus.Scored, "A", false), (wrong.Status, wrong.Prediction, wrong.Correct));
        Assert.Null(wrong.Error);
    }

    [Fact]
    public async Task Should_Mark_Failed_Request_As_Errored_Not_Wrong()
    {
        // Given
        var (suite, items) = await Suites.LoadAsync(FixturePath);
        var requests = suite.CreateRequests(items[3]);
        var failed = ModelResponse.Failed(requests[0], "http_503", "service unavailable after 5 attempts");

        // When
        var result = suite.Score(items[3], requests, [failed]);

        // Then
        Assert.Equal(ItemStatus.Errored, result.Status);
        Assert.Null(result.Correct);
        Assert.Null(result.Prediction);
        Assert.Equal("http_503: service unavailable after 5 attempts", result.Error);
        Assert.Contains("left out of accuracy", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Mark_Missing_Response_As_Errored()
    {
        // Given
        var (suite, items) = await Suites.LoadAsync(FixturePath);

        // When
        var result = suite.Score(items[0], suite.CreateRequests(items[0]), []);

        // Then
        Assert.Equal(ItemStatus.Errored, result.Status);
        Assert.StartsWith("no_response:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Count_Unreadable_Answer_As_Unparseable_And_Incorrect()
    {
        // Given
        var (suite, items) = await Suites.LoadAsync(FixturePath);
        var requests = suite.CreateRequests(items[0]);

        // When
        var result = suite.Score(items[0], requests, [Suites.Text(requests[0], "It is A or C.")]);

        // Then
        Assert.Equal(ItemStatus.Unparseable, result.Status);
        Assert.False(result.Correct);
        Assert.Null(result.Prediction);
        Assert.Null(result.Error);
        Assert.Equal("It is A or C.", result.Response);
        Assert.Equal("no answer letter could be read (ambiguous: mentions A and C); scored incorrect; gold is C", result.Explanation);
    }

    [Fact]
    public async Task Should_Take_Argmax_Of_LogLikelihoods_And_Render_Them()
    {
        // Given: item 1's gold is A
        var (suite, items) = await Suites.LoadAsync(FixturePath, options: ("mode", "loglikelihood"));
        var requests = suite.CreateRequests(items[1]);

        // When
        var result = suite.Score(items[1], requests, [Suites.LogLikelihoods(requests[0], -1.25, -0.5, -3, -2.75)]);

        // Then
        Assert.Equal((ItemStatus.Scored, "B", false), (result.Status, result.Prediction, result.Correct));
        Assert.Equal("A=-1.25 B=-0.5 C=-3 D=-2.75", result.Response);
        Assert.Equal("B has the highest log-likelihood (-0.5); gold is A, so incorrect", result.Explanation);
    }

    [Fact]
    public async Task Should_Break_LogLikelihood_Ties_By_First_Letter_And_Say_So()
    {
        // Given
        var (suite, items) = await Suites.LoadAsync(FixturePath, options: ("mode", "loglikelihood"));
        var requests = suite.CreateRequests(items[1]);

        // When
        var result = suite.Score(items[1], requests, [Suites.LogLikelihoods(requests[0], -2, -0.5, -0.5, -1)]);

        // Then
        Assert.Equal("B", result.Prediction);
        Assert.StartsWith("tie between B and C at the highest log-likelihood, broken by taking the first (B)", result.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Should_Mark_Wrong_Number_Of_LogLikelihoods_As_Errored(int count)
    {
        // Given
        var (suite, items) = await Suites.LoadAsync(FixturePath, options: ("mode", "loglikelihood"));
        var requests = suite.CreateRequests(items[1]);

        // When
        var result = suite.Score(items[1], requests, [Suites.LogLikelihoods(requests[0], Enumerable.Repeat(-1.0, count).ToArray())]);

        // Then
        Assert.Equal(ItemStatus.Errored, result.Status);
        Assert.Equal($"bad_response: expected 4 log-likelihoods (one per option), got {count}", result.Error);
    }

    [Fact]
    public async Task Should_Score_The_Same_Responses_To_The_Same_Results()
    {
        // Given
        var (suite, items) = await Suites.LoadAsync(FixturePath);
        var requests = suite.CreateRequests(items[2]);
        var responses = new[] { Suites.Text(requests[0], "Final Answer: B") };

        // When
        var first = suite.Score(items[2], requests, responses);
        var second = suite.Score(items[2], requests, responses);

        // Then
        Assert.Equal(first with { Strata = second.Strata }, second);
        Assert.Equal(first.Strata, second.Strata);
    }
}
