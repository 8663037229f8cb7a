using System.Globalization;
using ValidationLab.Results;
using ValidationLab.Results.Slices;
using ValidationLab.Statistics;

namespace ValidationLab.Analysis.Slicing;

/// <summary>
/// The slicing stage. For every suite and declared slice family it groups the scored items, asks the suite itself
/// to aggregate each group (<c>ISuite.Aggregate</c>: the suite's own metric definitions, intervals and n), suppresses
/// groups under min_cell, compares every other group with the reference group (difference, ratio, a test fitting
/// the metric, the minimum detectable difference), and adjusts every p-value of the run together (Holm or
/// Benjamini–Hochberg). Pure and deterministic given the items and the seed.
/// </summary>
public static class SliceAnalyzer
{
    public const string OverallKey = "overall";

    /// <summary>How a family's group is named in gate inputs: "sex x age_band: female, 45-64".</summary>
    public static string SliceName(string family, string group) => $"{family}: {group}";

    public static SliceReport Analyze(SliceSettings settings, IReadOnlyList<SliceInput> suites, int seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(suites);
        var work = suites.Select(s => SuiteWork.Build(settings, s, seed)).ToList();
        var tests = work.SelectMany(w => w.Tests()).ToList();
        var raw = tests.Select(t => t.Raw!.PValue).ToList();
        var adjusted = settings.Correction == SliceCorrection.Holm ? MultipleComparisons.Holm(raw) : MultipleComparisons.BenjaminiHochberg(raw);
        for (var i = 0; i < tests.Count; i++)
        {
            tests[i].AdjustedP = adjusted[i];
        }

        var bySuite = new SortedDictionary<string, SuiteSlices>(StringComparer.Ordinal);
        foreach (var w in work)
        {
            bySuite[w.Input.Suite.Name] = w.ToResult(settings);
        }

        return new SliceReport
        {
            Correction = settings.Correction == SliceCorrection.Holm ? "holm" : "bh",
            Reference = settings.Reference.ToString().ToLowerInvariant(),
            MinCell = settings.MinCell,
            Alpha = settings.Alpha,
            AlertThreshold = settings.AlertThreshold,
            Tests = tests.Count,
            Suites = bySuite,
        };
    }

    internal static double? ValueOf(MetricValue metric) => metric.Value;

    /// <summary>FNV-1a: a stable per-test bootstrap seed (string.GetHashCode is randomised per process).</summary>
    internal static ulong StableSeed(int seed, string text)
    {
        var hash = 14695981039346656037UL ^ (ulong)(uint)seed;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    internal static string SuppressedSize(int minCell) => "< " + minCell.ToString(CultureInfo.InvariantCulture);
}
