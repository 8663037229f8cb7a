namespace ValidationLab.Benchmarks;

/// <summary>
/// Loads the benchmark data written by benchmarks/reference/make_data.py (raw little-endian files in
/// $VL_BENCH_DATA or /tmp/validationlab-bench), so C#, Python and R time the same inputs.
/// </summary>
internal static class BenchData
{
    private static string Dir => Environment.GetEnvironmentVariable("VL_BENCH_DATA") ?? "/tmp/validationlab-bench";

    public static double[] Doubles(string name) => Read(name, b => { var x = new double[b.Length / 8]; Buffer.BlockCopy(b, 0, x, 0, b.Length); return x; });

    public static int[] Ints(string name) => Read(name, b => { var x = new int[b.Length / 4]; Buffer.BlockCopy(b, 0, x, 0, b.Length); return x; });

    public static bool[] Bools(string name) => Read(name, b => b.Select(v => v != 0).ToArray());

    private static T Read<T>(string name, Func<byte[], T> convert)
    {
        string path = Path.Combine(Dir, name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Benchmark data '{path}' missing: run /usr/bin/python3 benchmarks/reference/make_data.py first.", path);
        }

        return convert(File.ReadAllBytes(path));
    }
}
