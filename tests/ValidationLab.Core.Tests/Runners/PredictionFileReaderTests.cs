using ValidationLab.Core.Tests.Support;
using ValidationLab.Errors;
using ValidationLab.Runners.Replay;

namespace ValidationLab.Core.Tests.Runners;

public sealed class PredictionFileReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Should_Read_Csv_Item_Id_And_Response_With_Line_Numbers()
    {
        // Given
        var path = _dir.Write("p.csv", "item_id,response\nq1,The answer is (A).\nq2,\"B, surely\"\n");

        // When
        var rows = new PredictionFileReader().Read(path, "p.csv");

        // Then
        Assert.Equal(2, rows.Count);
        Assert.Equal(new RecordedPrediction(null, "q1", "The answer is (A).", null, 2), rows[0]);
        Assert.Equal(new RecordedPrediction(null, "q2", "B, surely", null, 3), rows[1]);
    }

    [Fact]
    public void Should_Read_Jsonl_With_Probability_And_Suite()
    {
        // Given
        var path = _dir.Write("p.jsonl", "{\"item_id\":\"q1\",\"response\":\"A\",\"probability\":0.25,\"suite\":\"medqa\"}\n\n{\"item_id\":\"q2\",\"response\":\"C\"}\n");

        // When
        var rows = new PredictionFileReader().Read(path, "p.jsonl");

        // Then
        Assert.Equal(2, rows.Count);
        Assert.Equal(new RecordedPrediction("medqa", "q1", "A", 0.25, 1), rows[0]);
        Assert.Equal(new RecordedPrediction(null, "q2", "C", null, 3), rows[1]);
    }

    [Fact]
    public void Should_Remap_Columns_And_Keep_Only_Rows_Matching_The_Filter()
    {
        // Given
        var path = _dir.Write("long.csv", "realidx,model,predicted_answer\n0,gpt-4o,A\n0,gpt-4o-mini,B\n1,gpt-4o-mini,C\n1,gpt-4o,D\n");
        var reader = new PredictionFileReader
        {
            IdColumn = "realidx",
            ResponseColumn = "predicted_answer",
            Filters = new Dictionary<string, string> { ["model"] = "gpt-4o" },
        };

        // When
        var rows = reader.Read(path, "long.csv");

        // Then
        Assert.Equal(["0:A:2", "1:D:5"], rows.Select(r => $"{r.ItemId}:{r.Response}:{r.Line}"));
    }

    [Fact]
    public void Should_Read_Numeric_Json_Ids_As_Their_Text()
    {
        // Given
        var path = _dir.Write("p.jsonl", "{\"realidx\": 12, \"response\": \"A\"}\n{\"realidx\": 7, \"response\": \"B\"}\n");

        // When
        var rows = new PredictionFileReader { IdColumn = "realidx" }.Read(path, "p.jsonl");

        // Then
        Assert.Equal(["12", "7"], rows.Select(r => r.ItemId));
    }

    [Theory]
    [InlineData("p.csv", "item_id,response,probability\nq1,A,0.5\nq2,B,1.5\n", 3)]
    [InlineData("p.csv", "item_id,response,probability\nq1,A,-0.01\n", 2)]
    [InlineData("p.jsonl", "{\"item_id\":\"q1\",\"response\":\"A\",\"probability\":0.5}\n{\"item_id\":\"q2\",\"response\":\"A\",\"probability\":2}\n", 2)]
    [InlineData("p.jsonl", "{\"item_id\":\"q1\",\"response\":\"A\",\"probability\":\"1.01\"}\n", 1)]
    public void Should_Name_Line_And_Field_Of_A_Probability_Outside_Zero_To_One(string name, string content, long line)
    {
        // Given
        var path = _dir.Write(name, content);

        // When
        var ex = Assert.Throws<InputException>(() => new PredictionFileReader().Read(path, name));

        // Then
        Assert.Equal(name, ex.File);
        Assert.Equal(line, ex.Line);
        Assert.Equal("probability", ex.Field);
    }

    [Fact]
    public void Should_Name_The_Column_Missing_From_The_Header()
    {
        // Given
        var path = _dir.Write("p.csv", "item_id,answer\nq1,A\n");

        // When
        var ex = Assert.Throws<InputException>(() => new PredictionFileReader().Read(path, "p.csv"));

        // Then
        Assert.Equal("response", ex.Field);
        Assert.Equal(1, ex.Line);
        Assert.Contains("answer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Name_The_Filter_Column_Missing_From_The_Header()
    {
        // Given
        var path = _dir.Write("p.csv", "item_id,response\nq1,A\n");
        var reader = new PredictionFileReader { Filters = new Dictionary<string, string> { ["model"] = "gpt-4o" } };

        // When
        var ex = Assert.Throws<InputException>(() => reader.Read(path, "p.csv"));

        // Then
        Assert.Equal("model", ex.Field);
    }

    [Fact]
    public void Should_Name_The_Line_Of_Malformed_Json()
    {
        // Given
        var path = _dir.Write("p.jsonl", "{\"item_id\":\"q1\",\"response\":\"A\"}\n{\"item_id\":\"q2\",\n");

        // When
        var ex = Assert.Throws<InputException>(() => new PredictionFileReader().Read(path, "p.jsonl"));

        // Then
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void Should_Refuse_A_Missing_File_Naming_It()
    {
        // Given
        var path = _dir.Combine("nope.csv");

        // When
        var ex = Assert.Throws<InputException>(() => new PredictionFileReader().Read(path, "nope.csv"));

        // Then
        Assert.Equal("nope.csv", ex.File);
    }

    [Fact]
    public void Should_Count_Physical_Lines_After_A_Quoted_Multi_Line_Response()
    {
        // Given: the response of q1 spans lines 2-3, so q2 is on line 4
        var path = _dir.Write("p.csv", "item_id,response\nq1,\"first\nsecond\"\nq2,B\n");

        // When
        var rows = new PredictionFileReader().Read(path, "p.csv");

        // Then
        Assert.Equal("first\nsecond", rows[0].Response);
        Assert.Equal(2, rows[0].Line);
        Assert.Equal(4, rows[1].Line);
    }

    [Fact]
    public void Should_Name_The_Line_Of_A_Row_With_Too_Few_Fields()
    {
        // Given
        var path = _dir.Write("p.csv", "item_id,response,probability\nq1,A,0.1\nq2,B\n");

        // When
        var ex = Assert.Throws<InputException>(() => new PredictionFileReader().Read(path, "p.csv"));

        // Then
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void Should_Name_The_Line_Of_An_Empty_Item_Id()
    {
        // Given
        var path = _dir.Write("p.csv", "item_id,response\nq1,A\n,B\n");

        // When
        var ex = Assert.Throws<InputException>(() => new PredictionFileReader().Read(path, "p.csv"));

        // Then
        Assert.Equal(3, ex.Line);
        Assert.Equal("item_id", ex.Field);
    }
}
