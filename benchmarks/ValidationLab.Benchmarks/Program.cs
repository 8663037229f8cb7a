using BenchmarkDotNet.Running;

namespace ValidationLab.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry point: pass BenchmarkDotNet arguments, e.g. <c>--filter '*' --job short</c>; or
/// <c>endpoint-quick</c> for the interleaved endpoint comparison (immune to the machine changing speed mid-run).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["endpoint-quick", ..])
        {
            EndpointQuickCompare.Run(Console.Out, concurrency: 16, requests: 2000, rounds: 21);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
