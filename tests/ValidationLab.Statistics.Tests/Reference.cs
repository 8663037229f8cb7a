using System.Text.Json;

namespace ValidationLab.Statistics.Tests;

/// <summary>Reference values produced by tests/reference/*.py and *.R (committed JSON; tests never call Python or R).</summary>
internal static class Reference
{
    private static readonly Lazy<JsonElement> Python = new(() => Load("statistics_reference.json"));
    private static readonly Lazy<JsonElement> Proc = new(() => Load("proc_reference.json"));

    public static JsonElement Statistics => Python.Value;

    public static JsonElement PRoc => Proc.Value;

    /// <summary>Folder containing ValidationLab.sln (walking up from the test binaries), or null.</summary>
    public static string? RepoRoot() => ValidationLab.Testing.TestRepository.TryRoot;

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    public static int[] Ints(this JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    public static bool[] Bools(this JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32() != 0).ToArray();

    public static double D(this JsonElement e, string name) => e.GetProperty(name).GetDouble();

    public static int I(this JsonElement e, string name) => e.GetProperty(name).GetInt32();

    private static JsonElement Load(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "reference", file);
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream).RootElement.Clone();
    }
}
