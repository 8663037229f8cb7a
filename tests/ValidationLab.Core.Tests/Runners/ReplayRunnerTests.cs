using ValidationLab.Core.Tests.Support;
using ValidationLab.Errors;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Runners.Replay;

namespace ValidationLab.Core.Tests.Runners;

public sealed class ReplayRunnerTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private IModelRunner Runner(string predictionsName, params (string Key, string Value)[] extra)
    {
        var options = new Dictionary<string, string> { ["predictions"] = predictionsName };
        foreach (var (k, v) in extra)
        {
            options[k] = v;
        }

        return new ReplayRunnerFactory().Create(new RunnerSettings { Name = "replay", Options = options, BaseDirectory = _dir.Path });
    }

    private static List<ModelRequest> Plan(params string[] ids) => ids.Select(id => (ModelRequest)TestRequests.Generate(id)).ToList();

    [Fact]
    public async Task Should_Answer_Each_Request_With_Its_Recorded_Response()
    {
        // Given
        _dir.Write("p.csv", "item_id,response\nq1,The answer is (A).\nq2,C\n");
        await using var runner = Runner("p.csv");
        var plan = Plan("q1", "q2");

        // When
        var warnings = await runner.PrepareAsync(plan, CancellationToken.None);
        var answers = new List<ModelResponse>();
        foreach (var request in plan)
        {
            answers.Add(await runner.ExecuteAsync(request, CancellationToken.None));
        }

        // Then
        Assert.Empty(warnings);
        Assert.Equal(["The answer is (A).", "C"], answers.Select(a => a.Text));
        Assert.All(answers, a => Assert.Null(a.Error));
        Assert.Equal("replay", runner.Identity.Runner);
        Assert.Equal(_dir.Combine("p.csv"), runner.Identity.Source);
    }

    [Fact]
    public async Task Should_Refuse_A_Duplicate_Prediction_Naming_Both_Lines()
    {
        // Given: q1 on lines 2 and 4
        _dir.Write("p.csv", "item_id,response\nq1,A\nq2,B\nq1,C\n");
        await using var runner = Runner("p.csv");

        // When
        var ex = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync(Plan("q1", "q2"), CancellationToken.None));

        // Then
        Assert.Equal("p.csv", ex.File);
        Assert.Equal(4, ex.Line);
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'q1'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("item_id", ex.Field);
    }

    [Fact]
    public async Task Should_Warn_About_Predictions_For_Unknown_Items_And_Items_Without_Predictions()
    {
        // Given: q9 matches no item; q2 has no prediction
        _dir.Write("p.csv", "item_id,response\nq1,A\nq9,B\n");
        await using var runner = Runner("p.csv");

        // When
        var warnings = await runner.PrepareAsync(Plan("q1", "q2"), CancellationToken.None);

        // Then
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("'q9'", StringComparison.Ordinal) && w.Contains("line 3", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("'q2'", StringComparison.Ordinal) && w.Contains("errored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_Refuse_Predictions_For_Unknown_Items_When_Strict()
    {
        // Given
        _dir.Write("p.csv", "item_id,response\nq1,A\nq2,B\nq9,B\n");
        await using var runner = Runner("p.csv", ("strict", "true"));

        // When
        var ex = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync(Plan("q1", "q2"), CancellationToken.None));

        // Then
        Assert.Equal(4, ex.Line);
        Assert.Contains("'q9'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Refuse_Items_Without_Predictions_When_Strict()
    {
        // Given
        _dir.Write("p.csv", "item_id,response\nq1,A\n");
        await using var runner = Runner("p.csv", ("strict", "true"));

        // When
        var ex = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync(Plan("q1", "q2"), CancellationToken.None));

        // Then
        Assert.Contains("'q2'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("p.csv", ex.File);
    }

    [Fact]
    public async Task Should_Return_An_Error_Response_Not_Throw_For_An_Item_Without_Prediction()
    {
        // Given
        _dir.Write("p.jsonl", "{\"item_id\":\"q1\",\"response\":\"A\"}\n");
        await using var runner = Runner("p.jsonl");
        var plan = Plan("q1", "q2");
        await runner.PrepareAsync(plan, CancellationToken.None);

        // When
        var response = await runner.ExecuteAsync(plan[1], CancellationToken.None);

        // Then
        Assert.True(response.IsError);
        Assert.Equal("no_prediction", response.Error!.Kind);
        Assert.Equal("q2", response.ItemId);
        Assert.Null(response.Text);
    }

    [Fact]
    public async Task Should_Apply_Column_Remapping_And_Filter_Settings()
    {
        // Given
        _dir.Write("long.csv", "realidx,model,predicted_answer\n1,gpt-4o-mini,B\n1,gpt-4o,D\n2,gpt-4o,A\n");
        await using var runner = Runner("long.csv", ("id_column", "realidx"), ("response_column", "predicted_answer"), ("filter.model", "gpt-4o"));
        var plan = Plan("1", "2");

        // When
        var warnings = await runner.PrepareAsync(plan, CancellationToken.None);
        var first = await runner.ExecuteAsync(plan[0], CancellationToken.None);

        // Then
        Assert.Empty(warnings);
        Assert.Equal("D", first.Text);
        Assert.Equal("gpt-4o", runner.Identity.Model);
    }

    [Fact]
    public void Should_Refuse_A_Strict_Value_That_Is_Not_A_Boolean()
    {
        // Given
        _dir.Write("p.csv", "item_id,response\nq1,A\n");

        // When
        var ex = Assert.Throws<InputException>(() => Runner("p.csv", ("strict", "yes")));

        // Then
        Assert.Equal("strict", ex.Field);
    }

    [Fact]
    public void Should_Not_Answer_LogLikelihood_Requests()
    {
        // Given
        _dir.Write("p.csv", "item_id,response\nq1,A\n");

        // When
        var kinds = Runner("p.csv").SupportedKinds;

        // Then
        Assert.DoesNotContain(RequestKind.LogLikelihood, kinds);
        Assert.Contains(RequestKind.Generate, kinds);
    }
}
