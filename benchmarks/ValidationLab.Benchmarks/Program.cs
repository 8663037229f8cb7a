using BenchmarkDotNet.Running;

namespace ValidationLab.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: pass BenchmarkDotNet arguments, e.g. <c>--filter '*' --job short</c>; or
/// <c>endpoint-quick [server delay ms] [concurrency]</c> for the interleaved endpoint comparison (immune to the
/// machine changing speed mid-run); a delay stands in for model time; or <c>slicing-quick [medqa test.jsonl]</c>
/// for the slicing stage's share of a 50,000-item run's scoring and aggregation; or <c>report-quick [small] [large] [rounds]</c>:
/// report rendering against JSON, and Chromium opening and filtering the report, large against small.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["endpoint-quick", .. var rest])
        {
            var delayMs = rest.Length > 0 ? double.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 0;
            var concurrency = rest.Length > 1 ? int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 16;
            EndpointQuickCompare.Run(Console.Out, concurrency, requests: 2000, rounds: delayMs > 0 ? 7 : 21, TimeSpan.FromMilliseconds(delayMs));
            return;
        }

        if (args is ["slicing-quick", .. var sliceArgs])
        {
            // Issue 9: slicing's cost against scoring+aggregation of a 50,000-item run, both timed in this command.
            var medqa = sliceArgs.Length > 0 ? sliceArgs[0] : Path.Combine("..", "shared", "data", "medqa", "test.jsonl");
            SlicingQuickCompare.Run(Console.Out, medqa);
            return;
        }

        if (args is ["longitudinal-replay", .. var lr])
        {
            LongitudinalReplayBenchmark.Run(Console.Out, lr.Length > 0 ? int.Parse(lr[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000, lr.Length > 1 ? int.Parse(lr[1], System.Globalization.CultureInfo.InvariantCulture) : 7, lr.Length > 2 ? int.Parse(lr[2], System.Globalization.CultureInfo.InvariantCulture) : 3, lr.Length > 3 && lr[3] == "breakdown");
            return;
        }

        if (args is ["longitudinal-fixture", var fixtureFolder])
        {
            LongitudinalReplayBenchmark.WriteFixture(fixtureFolder);
            return;
        }

        if (args is ["llama-quick", .. var llamaArgs])
        {
            LlamaQuickCompare.Run(Console.Out, llamaArgs);
            return;
        }

        if (args is ["report-quick", .. var sizes])
        {
            int At(int i, int fallback) => sizes.Length > i ? int.Parse(sizes[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
            ReportOpenQuick.RunAsync(Console.Out, At(0, 1_000), At(1, 50_000), At(2, 5)).GetAwaiter().GetResult();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
