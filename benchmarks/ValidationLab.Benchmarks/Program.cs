using BenchmarkDotNet.Running;

namespace ValidationLab.Benchmarks;

/// <summary>BenchmarkDotNet entry point: pass BenchmarkDotNet arguments, e.g. <c>--filter '*' --job short</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
