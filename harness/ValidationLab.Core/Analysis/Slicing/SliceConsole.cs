using System.Globalization;
using ValidationLab.Results.Slices;

namespace ValidationLab.Analysis.Slicing;

/// <summary>
/// The console's minimal view of the slices: one line per suppressed slice (shown as "&lt; 20", never its count)
/// and one per slice whose gap stays significant after correction. The report section is a later issue.
/// </summary>
public static class SliceConsole
{
    public static IEnumerable<string> Lines(SliceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var correction = report.Correction == "holm" ? "Holm" : "Benjamini-Hochberg";
        foreach (var (suite, slices) in report.Suites)
        {
            foreach (var (family, f) in slices.Families)
            {
                foreach (var (key, group) in f.Groups)
                {
                    if (group.Suppressed)
                    {
                        yield return $"slice {suite} {family} = {key}: suppressed (n {group.Size})";
                        continue;
                    }

                    foreach (var (metric, m) in group.Metrics.Where(m => m.Value.Test is { Significant: true }))
                    {
                        yield return string.Create(
                            CultureInfo.InvariantCulture,
                            $"slice {suite} {family} = {key}: {metric} differs from {f.ReferenceGroup} by {m.Difference:+0.0000;-0.0000} ({m.Test!.Method}, adjusted p {m.Test.AdjustedP:G3}, {correction})");
                    }
                }
            }
        }
    }
}
