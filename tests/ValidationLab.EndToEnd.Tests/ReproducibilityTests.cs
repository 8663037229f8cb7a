using System.Text;
using ValidationLab.EndToEnd.Tests.Support;

namespace ValidationLab.EndToEnd.Tests;

/// <summary>
/// The README's promise, "the same inputs and model responses give byte-identical item files", checked on two real
/// `validationlab` processes each time. With an endpoint, each run asks the endpoint itself (own store, no shared
/// cache) and gets the same answers; there the item files differ only in latency_ms, the wall time each answer took
/// (a measured fact, not a response) — the README's wording does not say so yet (see the report of issue 7).
/// </summary>
public sealed class ReproducibilityTests : IAsyncLifetime
{
    private readonly Workspace _ws = new("repro");
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await Endpoint.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ws.Dispose();
    }

    [Fact]
    public async Task Two_processes_over_the_same_inputs_write_byte_identical_items_jsonl_and_items_csv()
    {
        foreach (var name in new[] { "first", "second" })
        {
            string[] args = ["run", "--suite", "medqa", "--data", Repo.MedQaFixture, "--runner", "baseline", "--runner-option", "model=random", "--seed", "11", "--out", _ws.At(name)];
            await RunChildAsync(args, name);
        }

        foreach (var file in new[] { "items.jsonl", "items.csv" })
        {
            var first = File.ReadAllBytes(_ws.At($"first/{file}"));
            var second = File.ReadAllBytes(_ws.At($"second/{file}"));
            Assert.True(first.AsSpan().SequenceEqual(second), $"{file} differs between the two runs; {FirstDifference(first, second)}");
        }

        Assert.Equal(RunFolder.SuitesJson(RunFolder.Results(_ws.At("first"))), RunFolder.SuitesJson(RunFolder.Results(_ws.At("second"))));
    }

    [Fact]
    public async Task Two_processes_given_the_same_endpoint_answers_write_identical_items_apart_from_latency()
    {
        foreach (var name in new[] { "first", "second" })
        {
            await RunChildAsync(_ws.RunArgs(_server, name, store: _ws.At($"{name}-store/store.db")), name);
        }

        Assert.Equal(2 * Repo.FixtureItems, _server.Answered); // both runs asked the endpoint for every item
        Assert.Equal(RunFolder.ItemsWithoutLatency(_ws.At("first")), RunFolder.ItemsWithoutLatency(_ws.At("second")));
        Assert.Equal(CsvWithoutLatency(_ws.At("first/items.csv")), CsvWithoutLatency(_ws.At("second/items.csv")));
        Assert.Equal(RunFolder.SuitesJson(RunFolder.Results(_ws.At("first"))), RunFolder.SuitesJson(RunFolder.Results(_ws.At("second"))));
    }

    private async Task RunChildAsync(IEnumerable<string> args, string name)
    {
        using var child = CliProcess.Start(args, _ws.Dir, new Dictionary<string, string> { [_ws.KeyEnv] = _ws.Key });
        await child.WaitForExitAsync();
        Assert.True(child.ExitCode == 0, $"{name}: exit {child.ExitCode}\n{child.Stdout}\n{child.Stderr}");
    }

    /// <summary>items.csv with the latency_ms column blanked (fields holding commas or newlines are quoted, so a plain split is not enough).</summary>
    private static string CsvWithoutLatency(string path)
    {
        var text = File.ReadAllText(path);
        var header = text[..text.IndexOf('\n', StringComparison.Ordinal)].TrimEnd('\r').Split(',');
        var column = Array.IndexOf(header, "latency_ms");
        Assert.True(column >= 0, "items.csv has no latency_ms column");
        var output = new StringBuilder();
        var (field, quoted) = (0, false);
        var fieldStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && (c == ',' || c == '\n'))
            {
                output.Append(field == column ? "" : text[fieldStart..i]).Append(c);
                fieldStart = i + 1;
                field = c == '\n' ? 0 : field + 1;
            }
        }

        return output.Append(text[fieldStart..]).ToString();
    }

    private static string FirstDifference(byte[] a, byte[] b)
    {
        var x = Encoding.UTF8.GetString(a).Split('\n');
        var y = Encoding.UTF8.GetString(b).Split('\n');
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            if (x[i] != y[i])
            {
                return $"first differing line {i + 1}:\n  {x[i]}\n  {y[i]}";
            }
        }

        return $"one file has {x.Length} lines, the other {y.Length}";
    }
}
