using ValidationLab.Errors;

namespace ValidationLab.Suites.MedQA.Tests;

public sealed class LoaderTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Should_Read_Published_Layout_With_Realidx_As_Id()
    {
        // Given
        var path = _files.Write("a.jsonl", [Records.Published(7, answerIdx: "B", meta: "step2&3"), Records.Published(8)]);

        // When
        var questions = MedQaLoader.Load(path);

        // Then
        Assert.Equal(["7", "8"], questions.Select(q => q.Id));
        Assert.Equal("B", questions[0].AnswerIdx);
        Assert.Equal("Vancomycin", questions[0].Answer);
        Assert.Equal("step2&3", questions[0].MetaInfo);
        Assert.Equal(["A", "B", "C", "D"], questions[0].Letters);
        Assert.Equal(2, questions[1].Line);
    }

    [Fact]
    public void Should_Prefer_Id_Field_And_Fall_Back_To_Zero_Based_Line_Number()
    {
        // Given: a blank line 2 still counts as a line
        var path = _files.Write("a.jsonl", [Records.Published("abc", idField: "id"), "", Records.Published(null)]);

        // When
        var questions = MedQaLoader.Load(path);

        // Then
        Assert.Equal(["abc", "2"], questions.Select(q => q.Id));
    }

    [Fact]
    public void Should_Read_Five_Options_And_Tolerate_Bom()
    {
        // Given
        var options = new Dictionary<string, string> { ["A"] = "a", ["B"] = "b", ["C"] = "c", ["D"] = "d", ["E"] = "e" };
        var path = _files.Write("a.jsonl", [Records.Published(0, answerIdx: "E", options: options)], bom: true);

        // When
        var question = Assert.Single(MedQaLoader.Load(path));

        // Then
        Assert.Equal("E", question.AnswerIdx);
        Assert.Equal(5, question.Options.Count);
    }

    [Fact]
    public void Should_Read_Hugging_Face_Layout()
    {
        // Given
        var path = _files.Write("hf.jsonl", [Records.HuggingFace("x1", "Q one?", 3), Records.HuggingFace("x2", "Q two?", 0)]);

        // When
        var questions = MedQaLoader.Load(path);

        // Then
        Assert.Equal(["D", "A"], questions.Select(q => q.AnswerIdx));
        Assert.Equal("Doxycycline", questions[0].Answer);
        Assert.Equal("Q one?", questions[0].Question);
        Assert.Null(questions[0].MetaInfo);
    }

    [Fact]
    public void Should_Load_Bundled_Fixtures()
    {
        // Given / When
        var main = MedQaLoader.Load(RepoPaths.Fixture("medqa-fixture.jsonl"));
        var exemplars = MedQaLoader.Load(RepoPaths.Fixture("exemplars.jsonl"));
        var hf = MedQaLoader.Load(RepoPaths.Fixture("medqa-hf-fixture.jsonl"));

        // Then
        Assert.True(main.Count >= 40);
        Assert.Equal(Enumerable.Range(0, main.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), main.Select(q => q.Id));
        Assert.All(["A", "B", "C", "D"], l => Assert.True(main.Count(q => q.AnswerIdx == l) >= 8, $"gold {l} is rare"));
        Assert.Equal(["step1", "step2&3"], main.Select(q => q.MetaInfo).Distinct().Order(StringComparer.Ordinal));
        Assert.True(exemplars.Count >= 5);
        Assert.True(hf.Count >= 5);
    }

    [Fact]
    public void Should_Refuse_Missing_File()
    {
        // Given
        var path = Path.Combine(_files.Folder, "nope.jsonl");

        // When
        var error = Assert.Throws<InputException>(() => MedQaLoader.Load(path));

        // Then
        Assert.Equal(path, error.File);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Report_Line_Of_Malformed_Json()
    {
        // Given: line 3 is broken (line 2 blank)
        var path = _files.Write("a.jsonl", [Records.Published(0), "", "{\"question\": \"x\", \"options\": {\"A\": 1,,}}"]);

        // When
        var error = Assert.Throws<InputException>(() => MedQaLoader.Load(path));

        // Then
        Assert.Equal(path, error.File);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("malformed JSON", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:3: malformed JSON at byte 38: ", error.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Line_That_Is_Not_An_Object()
    {
        // Given
        var path = _files.Write("a.jsonl", ["[1, 2]"]);

        // When
        var error = Assert.Throws<InputException>(() => MedQaLoader.Load(path));

        // Then
        Assert.Equal(1, error.Line);
        Assert.Contains("expected a JSON object", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "answer_idx", "is missing")]
    [InlineData("E", "answer_idx", "'E' is not one of the options (A, B, C, D)")]
    [InlineData("c", "answer_idx", "'c' is not one of the options")]
    public void Should_Refuse_Bad_Answer_Idx(string? answerIdx, string field, string message)
    {
        // Given
        var path = _files.Write("a.jsonl", [Records.Published(0), Records.Published(1, answerIdx: answerIdx)]);

        // When
        var error = Assert.Throws<InputException>(() => MedQaLoader.Load(path));

        // Then
        Assert.Equal((path, 2L, field), (error.File, error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Duplicate_Ids()
    {
        // Given
        var path = _files.Write("a.jsonl", [Records.Published(5), Records.Published(6), Records.Published(5)]);

        // When
        var error = Assert.Throws<InputException>(() => MedQaLoader.Load(path));

        // Then
        Assert.Equal((3L, "realidx"), (error.Line, error.Field));
        Assert.Contains("duplicate item id '5' (first seen on line 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Missing_Options()
    {
        // Given
        var path = _files.Write("a.jsonl", ["{\"question\": \"q?\", \"answer_idx\": \"A\", \"realidx\": 0}"]);

        // When
        var error = Assert.Throws<InputException>(() => MedQaLoader.Load(path));

        // Then
        Assert.Equal((1L, "options"), (error.Line, error.Field));
        Assert.Equal("is missing", error.Message);
    }

    [Theory]
    [InlineData("{\"A\": \"a\", \"B\": \"b\", \"D\": \"d\", \"E\": \"e\"}", "must be lettered A-D or A-E, found A, B, D, E")]
    [InlineData("{\"A\": \"a\", \"B\": \"b\"}", "must be lettered A-D or A-E, found A, B")]
    [InlineData("{\"A\": \"a\", \"B\": \"b\", \"C\": \"c\", \"X\": \"d\"}", "unexpected option key 'X'")]
    [InlineData("{\"A\": \"a\", \"B\": \"\", \"C\": \"c\", \"D\": \"d\"}", "option B must be non-empty text")]
    [InlineData("[\"a\", \"b\", \"c\", \"d\"]", "must be an object of lettered options, found an array")]
    public void Should_Refuse_Malformed_Options(string options, string message)
    {
        // Given
        var path = _files.Write("a.jsonl", ["{\"question\": \"q?\", \"answer_idx\": \"A\", \"realidx\": 0, \"options\": " + options + "}"]);

        // When
        var error = Assert.Throws<InputException>(() => MedQaLoader.Load(path));

        // Then
        Assert.Equal("options", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Answer_Text_That_Contradicts_Answer_Idx()
    {
        // Given
        var line = "{\"question\": \"q?\", \"answer\": \"Vancomycin\", \"answer_idx\": \"A\", \"realidx\": 0, \"options\": {\"A\": \"Ampicillin\", \"B\": \"Vancomycin\", \"C\": \"c\", \"D\": \"d\"}}";
        var path = _files.Write("a.jsonl", [line]);

        // When
        var error = Assert.Throws<InputException>(() => MedQaLoader.Load(path));

        // Then
        Assert.Equal("answer", error.Field);
        Assert.Contains("not the text of option A", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\": \"h\", \"sent1\": \"q?\", \"ending0\": \"a\", \"ending1\": \"b\", \"ending2\": \"c\", \"ending3\": \"d\"}", "label", "is missing")]
    [InlineData("{\"id\": \"h\", \"sent1\": \"q?\", \"ending0\": \"a\", \"ending1\": \"b\", \"ending2\": \"c\", \"ending3\": \"d\", \"label\": 4}", "label", "4 is not an option index (0 to 3)")]
    [InlineData("{\"id\": \"h\", \"sent1\": \"q?\", \"ending0\": \"a\", \"ending1\": \"b\", \"ending2\": \"c\", \"ending3\": \"d\", \"label\": \"B\"}", "label", "must be a whole number")]
    [InlineData("{\"id\": \"h\", \"sent1\": \"q?\", \"ending0\": \"a\", \"ending1\": \"b\", \"ending2\": \"c\", \"label\": 1}", "ending3", "is missing")]
    [InlineData("{\"id\": \"h\", \"stem\": \"q?\"}", "question", "neither 'question'")]
    public void Should_Refuse_Bad_Hugging_Face_Records(string line, string field, string message)
    {
        // Given
        var path = _files.Write("hf.jsonl", [line]);

        // When
        var error = Assert.Throws<InputException>(() => MedQaLoader.Load(path));

        // Then
        Assert.Equal((1L, field), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Empty_File()
    {
        // Given
        var path = _files.Write("a.jsonl", ["", "  "]);

        // When
        var error = Assert.Throws<InputException>(() => MedQaLoader.Load(path));

        // Then
        Assert.Equal("contains no questions", error.Message);
    }
}
