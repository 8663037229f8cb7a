using BenchmarkDotNet.Running;

namespace ValidationLab.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: pass BenchmarkDotNet arguments, e.g. <c>--filter '*' --job short</c>; or
/// <c>endpoint-quick [server delay ms] [concurrency]</c> for the interleaved endpoint comparison (immune to the
/// machine changing speed mid-run); a delay stands in for model time; or <c>report-quick [small] [large] [rounds]</c>:
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

        if (args is ["report-quick", .. var sizes])
        {
            int At(int i, int fallback) => sizes.Length > i ? int.Parse(sizes[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
            ReportOpenQuick.RunAsync(Console.Out, At(0, 1_000), At(1, 50_000), At(2, 5)).GetAwaiter().GetResult();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
