using ValidationLab.Core.Tests.Support;
using ValidationLab.Errors;
using ValidationLab.Requests;
using ValidationLab.Runners;
using ValidationLab.Runners.Replay;

namespace ValidationLab.Core.Tests.Runners;

/// <summary>A production model's silent-mode log in the MEDS label layout, replayed against risk requests (issue 8).</summary>
public sealed class MedsReplayTests : IDisposable
{
    private const string Header = "subject_id,prediction_time,boolean_value,predicted_boolean_probability\n";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private IModelRunner Runner(string name, params (string Key, string Value)[] extra)
    {
        var options = new Dictionary<string, string> { ["predictions"] = name };
        foreach (var (k, v) in extra)
        {
            options[k] = v;
        }

        return new ReplayRunnerFactory().Create(new RunnerSettings { Name = "replay", Options = options, BaseDirectory = _dir.Path, Origin = "run.yaml" });
    }

    private static RiskRequest Risk(string id, string patient, DateTimeOffset asOf) => new()
    {
        Suite = "longitudinal",
        ItemId = id,
        PatientId = patient,
        AsOf = asOf,
        Outcome = "in-hospital death",
        Context = "(summary)",
    };

    private static DateTimeOffset Utc(int day, int hour) => new(2150, 3, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Should_Answer_Risk_Requests_By_Subject_And_Exact_Utc_Instant()
    {
        // Given: a naive time (read as UTC), a Z time, and an offset time that is the same instant as 08:00Z
        _dir.Write("silent.csv", Header +
            "10006,2150-03-01 08:00:00,false,0.125\n" +
            "10006,2150-03-01T20:00:00Z,true,0.5\n" +
            "10011,2150-03-02T10:00:00+02:00,,0.875\n");
        await using var runner = Runner("silent.csv");
        var plan = new List<ModelRequest>
        {
            Risk("a", "10006", Utc(1, 8)),
            Risk("b", "10006", new DateTimeOffset(2150, 3, 1, 15, 0, 0, TimeSpan.FromHours(-5))), // = 20:00Z
            Risk("c", "10011", Utc(2, 8)),
        };

        // When
        var warnings = await runner.PrepareAsync(plan, CancellationToken.None);
        var answers = new List<ModelResponse>();
        foreach (var r in plan)
        {
            answers.Add(await runner.ExecuteAsync(r, CancellationToken.None));
        }

        // Then
        Assert.IsType<MedsReplayRunner>(runner);
        Assert.Empty(warnings);
        Assert.Equal([0.125, 0.5, 0.875], answers.Select(a => a.Probability!.Value));
        Assert.All(answers, a => Assert.Null(a.Error));
        Assert.Equal(["a", "b", "c"], answers.Select(a => a.ItemId));
        Assert.Equal([RequestKind.Risk], runner.SupportedKinds);
        Assert.Equal("silent", runner.Identity.Model);
    }

    [Fact]
    public async Task A_Decision_Point_Without_A_Row_Should_Be_Errored_With_The_Reason_And_Counted()
    {
        // Given: the row is one second off: no tolerance window
        _dir.Write("silent.csv", Header + "10006,2150-03-01 08:00:01,false,0.125\n");
        await using var runner = Runner("silent.csv");
        var request = Risk("a", "10006", Utc(1, 8));

        // When
        var warnings = await runner.PrepareAsync([request], CancellationToken.None);
        var answer = await runner.ExecuteAsync(request, CancellationToken.None);

        // Then
        Assert.Equal("no_prediction", answer.Error!.Kind);
        Assert.Contains("subject '10006' at 2150-03-01T08:00:00Z", answer.Error.Message);
        Assert.Contains("exact instant in UTC", answer.Error.Message);
        Assert.Null(answer.Probability);
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith("1 MEDS row(s)", StringComparison.Ordinal) && w.Contains("line 2", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("1 decision point(s) have no MEDS row", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Strict_Should_Stop_On_A_Missing_Row()
    {
        _dir.Write("silent.csv", Header + "10006,2150-03-01 08:00:00,false,0.125\n");
        await using var runner = Runner("silent.csv", ("strict", "true"));
        var e = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync([Risk("a", "10006", Utc(1, 8)), Risk("b", "10006", Utc(1, 20))], CancellationToken.None));
        Assert.Contains("no MEDS row", e.Message);
    }

    [Fact]
    public async Task A_Row_Without_Probability_Should_Give_An_Errored_Item()
    {
        _dir.Write("silent.csv", Header + "10006,2150-03-01 08:00:00,false,\n");
        await using var runner = Runner("silent.csv");
        var request = Risk("a", "10006", Utc(1, 8));
        await runner.PrepareAsync([request], CancellationToken.None);
        var answer = await runner.ExecuteAsync(request, CancellationToken.None);
        Assert.Equal("no_probability", answer.Error!.Kind);
        Assert.Contains("line 2", answer.Error.Message);
    }

    [Theory]
    [InlineData("10006,2150-03-01 08:00:00,false,1.5\n", 2, "predicted_boolean_probability", "outside [0, 1]")]
    [InlineData("10006,2150-03-01 08:00:00,false,high\n", 2, "predicted_boolean_probability", "not a number")]
    [InlineData("10006,03/01/2150 08:00,false,0.1\n", 2, "prediction_time", "ISO 8601")]
    [InlineData("10006,2150-03-01 08:00:00,maybe,0.1\n", 2, "boolean_value", "not a boolean")]
    [InlineData("10006,2150-03-01 08:00:00,false,0.1\n,2150-03-01 09:00:00,false,0.1\n", 3, "subject_id", "empty subject")]
    [InlineData("10006,2150-03-01 08:00:00,false,0.1\n10006,2150-03-01T08:00:00Z,true,0.2\n", 3, "prediction_time", "second prediction")]
    public async Task A_Malformed_Row_Should_Name_File_Line_And_Field(string rows, long line, string field, string message)
    {
        // Given
        _dir.Write("silent.csv", Header + rows);
        await using var runner = Runner("silent.csv");

        // When
        var e = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync([Risk("a", "10006", Utc(1, 8))], CancellationToken.None));

        // Then
        Assert.Equal("silent.csv", e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task A_Header_Without_The_Probability_Column_Should_Be_Refused_On_Line_One()
    {
        _dir.Write("silent.csv", "subject_id,prediction_time,boolean_value\n10006,2150-03-01 08:00:00,false\n");
        await using var runner = Runner("silent.csv");
        var e = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync([Risk("a", "10006", Utc(1, 8))], CancellationToken.None));
        Assert.Equal((1L, "predicted_boolean_probability"), (e.Line!.Value, e.Field!));
    }

    [Fact]
    public async Task Parquet_Should_Be_Refused_With_How_To_Convert()
    {
        _dir.Write("labels.parquet", "PAR1");
        await using var runner = Runner("labels.parquet", ("format", "meds"));
        var e = await Assert.ThrowsAsync<InputException>(async () => await runner.PrepareAsync([Risk("a", "10006", Utc(1, 8))], CancellationToken.None));
        Assert.Contains("CSV", e.Message);
    }

    [Fact]
    public void Item_Layout_Options_Should_Be_Refused_For_A_Meds_File()
    {
        _dir.Write("silent.csv", Header);
        var e = Assert.Throws<InputException>(() => Runner("silent.csv", ("id_column", "subject_id")));
        Assert.Equal("id_column", e.Field);
        var f = Assert.Throws<InputException>(() => Runner("silent.csv", ("format", "parquet")));
        Assert.Equal("format", f.Field);
    }

    [Fact]
    public void An_Item_Layout_File_Should_Still_Get_The_Item_Replay_Runner()
    {
        _dir.Write("p.csv", "item_id,response\nq1,A\n");
        Assert.IsType<ReplayRunner>(Runner("p.csv"));
        Assert.IsType<MedsReplayRunner>(Runner("p.csv", ("format", "meds")));
    }
}
