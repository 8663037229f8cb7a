using BenchmarkDotNet.Running;

namespace ValidationLab.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: pass BenchmarkDotNet arguments, e.g. <c>--filter '*' --job short</c>; or
/// <c>endpoint-quick [server delay ms] [concurrency]</c> for the interleaved endpoint comparison (immune to the
/// machine changing speed mid-run); a delay stands in for model time.
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

        if (args is ["llama-quick", .. var llamaArgs])
        {
            LlamaQuickCompare.Run(Console.Out, llamaArgs);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
