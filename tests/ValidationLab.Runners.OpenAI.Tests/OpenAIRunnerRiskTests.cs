using System.Text.Json;
using ValidationLab.Requests;
using static ValidationLab.Runners.OpenAI.Tests.TestSupport;

namespace ValidationLab.Runners.OpenAI.Tests;

/// <summary>Risk requests through the OpenAI-compatible endpoint (issue 8): asked as chat, answered with text.</summary>
public sealed class OpenAIRunnerRiskTests
{
    private static RiskRequest Risk(string id, IReadOnlyList<ChatMessage>? messages = null) => new()
    {
        Suite = "longitudinal",
        ItemId = id,
        PatientId = "p1",
        AsOf = new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero),
        Outcome = "in-hospital death",
        HorizonHours = 48,
        Context = "Day 2. Lactate 4.1 mmol/L at 06:00. What is the probability of death within 48 h?",
        Messages = messages,
    };

    [Fact]
    public async Task Should_Declare_Risk_And_Send_The_Suites_Messages_Greedily_With_The_Run_Seed()
    {
        // Given
        await using var server = await FakeOpenAIServer.StartAsync();
        await using var runner = CreateRunner(server);
        var messages = new[] { new ChatMessage("system", "Answer with a probability."), new ChatMessage("user", "Patient summary; probability?") };

        // When
        var response = await runner.ExecuteAsync(Risk("r1", messages), CancellationToken.None);

        // Then
        Assert.Contains(RequestKind.Risk, runner.SupportedKinds);
        Assert.False(response.IsError, response.Error?.Message);
        Assert.Equal(FakeOpenAIServer.ReplyFor("test-model", "Patient summary; probability?", 0), response.Text);
        Assert.Equal(OpenAIRunner.ChatMethod, response.Method);
        Assert.Equal(("longitudinal", "r1"), (response.Suite, response.ItemId));
        using var body = JsonDocument.Parse(Assert.Single(server.Bodies));
        var sent = body.RootElement;
        Assert.Equal(2, sent.GetProperty("messages").GetArrayLength());
        Assert.Equal("system", sent.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal(0, sent.GetProperty("temperature").GetDouble());
        Assert.Equal(42, sent.GetProperty("seed").GetInt32());
    }

    [Fact]
    public async Task Should_Send_The_Context_As_One_User_Message_When_The_Suite_Gave_No_Messages()
    {
        // Given
        await using var server = await FakeOpenAIServer.StartAsync();
        await using var runner = CreateRunner(server);
        var request = Risk("r2");

        // When
        var response = await runner.ExecuteAsync(request, CancellationToken.None);

        // Then
        Assert.Equal(FakeOpenAIServer.ReplyFor("test-model", request.Context, 0), response.Text);
        using var body = JsonDocument.Parse(Assert.Single(server.Bodies));
        var message = Assert.Single(body.RootElement.GetProperty("messages").EnumerateArray());
        Assert.Equal("user", message.GetProperty("role").GetString());
        Assert.Equal(request.Context, message.GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_Failing_Endpoint_Should_Give_An_Errored_Risk_Response_Not_An_Exception()
    {
        // Given
        await using var server = await FakeOpenAIServer.StartAsync();
        server.ForceStatus = 400;
        await using var runner = CreateRunner(server);

        // When
        var response = await runner.ExecuteAsync(Risk("r3"), CancellationToken.None);

        // Then
        Assert.True(response.IsError);
        Assert.Null(response.Text);
        Assert.Null(response.Probability);
    }
}
