using System.Text.Json;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// Issue 9 on real data: the MIMIC-III demo replayed by mimic3-mortality-48h (baseline: last lactate), sliced by the
/// admission's insurance and the patient's ethnicity as MIMIC records them, grouped by the declared mapping
/// (tests/reference/slices_mimic_run.yaml, run here through the CLI into a temporary folder). Every figure is checked
/// against tests/reference/slices_mimic_reference.json, computed by slices_mimic_reference.py with scikit-learn,
/// statsmodels and scipy from the run's items.jsonl: per-slice n and patients, suppression, the reference group,
/// AUROC and the alert metrics, which slices are tested with which test, the z/Fisher p-values, the cluster
/// bootstrap's standard error (against an independent numpy bootstrap) and the Benjamini-Hochberg adjusted p-values.
/// </summary>
public sealed class SliceRealMimicTests : IDisposable
{
    private static readonly string[] Metrics = ["alert_rate", "ppv_alerts", "ppv_units", "sensitivity_units", "auroc"];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static JsonElement Reference() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "reference", "slices_mimic_reference.json"))).RootElement;

    private async Task<JsonElement> RunAsync()
    {
        var outDir = _dir.Combine("mimic");
        var result = await CliRunner.RunAsync("run", "--config", Path.Combine(RepoPaths.Root, "tests", "reference", "slices_mimic_run.yaml"), "--out", outDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json"))).RootElement.GetProperty("slices");
    }

    [RealDataFact("mimic3_demo/ADMISSIONS.csv.gz")]
    public async Task Should_Match_The_Reference_Slices_Of_The_Mimic_Demo_By_Insurance_And_Ethnicity()
    {
        // Given
        var reference = Reference();

        // When
        var slices = await RunAsync();

        // Then: the groups, their sizes, patients and figures
        Assert.Equal(reference.GetProperty("tests").GetArrayLength(), slices.GetProperty("tests").GetInt32());
        Assert.Equal("bh", slices.GetProperty("correction").GetString());
        var families = slices.GetProperty("suites").GetProperty("longitudinal").GetProperty("families");
        foreach (var family in reference.GetProperty("families").EnumerateObject())
        {
            var actual = families.GetProperty(family.Name);
            Assert.Equal(family.Value.GetProperty("reference").GetString(), actual.GetProperty("reference_group").GetString());
            Assert.Equal(family.Value.GetProperty("missing").GetInt32(), actual.GetProperty("missing").GetInt32());
            Assert.Equal(
                family.Value.GetProperty("groups").EnumerateObject().Select(g => g.Name),
                actual.GetProperty("groups").EnumerateObject().Select(g => g.Name));
            foreach (var expected in family.Value.GetProperty("groups").EnumerateObject())
            {
                CheckGroup($"{family.Name}: {expected.Name}", expected.Value, actual.GetProperty("groups").GetProperty(expected.Name), reference.GetProperty("min_cell").GetInt32());
            }
        }

        // Then: the tests, raw and adjusted p-values
        var tested = families.EnumerateObject()
            .SelectMany(f => f.Value.GetProperty("groups").EnumerateObject()
                .SelectMany(g => g.Value.GetProperty("metrics").EnumerateObject()
                    .Where(m => m.Value.TryGetProperty("test", out var t) && t.ValueKind == JsonValueKind.Object)
                    .Select(m => $"{f.Name}: {g.Name} | {m.Name}")))
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            reference.GetProperty("tests").EnumerateArray().Select(t => $"{t.GetProperty("slice").GetString()} | {t.GetProperty("metric").GetString()}").Order(StringComparer.Ordinal),
            tested);
        foreach (var expected in reference.GetProperty("tests").EnumerateArray())
        {
            CheckTest(expected, families);
        }
    }

    private static void CheckGroup(string name, JsonElement expected, JsonElement actual, int minCell)
    {
        var suppressed = expected.GetProperty("suppressed").GetBoolean();
        Assert.True(suppressed == actual.GetProperty("suppressed").GetBoolean(), $"{name}: suppressed");
        if (suppressed)
        {
            Assert.Equal($"< {minCell}", actual.GetProperty("size").GetString());
            Assert.Empty(actual.GetProperty("metrics").EnumerateObject());
            return;
        }

        Assert.Equal((expected.GetProperty("items").GetInt32(), expected.GetProperty("patients").GetInt32()), (actual.GetProperty("n").GetInt32(), actual.GetProperty("clusters").GetInt32()));
        Assert.Equal(expected.GetProperty("reference").GetBoolean(), actual.GetProperty("is_reference").GetBoolean());
        var metrics = actual.GetProperty("metrics");
        foreach (var metric in Metrics)
        {
            var e = expected.GetProperty(metric);
            var n = e.GetProperty("n").GetInt32();

            // A slice's metric is kept only when its n reaches min_cell (and it is defined).
            var present = metrics.TryGetProperty(metric, out var m);
            Assert.True(present == (n >= minCell && e.GetProperty("value").ValueKind == JsonValueKind.Number), $"{name} {metric}: present {present}, reference n {n}");
            if (present)
            {
                var value = m.GetProperty("metric");
                Assert.Equal(n, value.GetProperty("n").GetInt32());
                Assert.Equal(e.GetProperty("value").GetDouble(), value.GetProperty("value").GetDouble(), 1e-12);
            }
        }

        var fairness = actual.GetProperty("fairness");
        Assert.Equal(expected.GetProperty("risk_n").GetInt32(), fairness.GetProperty("n").GetInt32());
        Assert.Equal(expected.GetProperty("tpr").GetDouble(), fairness.GetProperty("tpr").GetDouble(), 1e-12);
        Assert.Equal(expected.GetProperty("fpr").GetDouble(), fairness.GetProperty("fpr").GetDouble(), 1e-12);
        Assert.Equal(expected.GetProperty("calibration_in_the_large").GetDouble(), fairness.GetProperty("calibration_in_the_large").GetDouble(), 1e-12);
    }

    private static void CheckTest(JsonElement expected, JsonElement families)
    {
        var slice = expected.GetProperty("slice").GetString()!;
        var metric = expected.GetProperty("metric").GetString()!;
        var separator = slice.IndexOf(": ", StringComparison.Ordinal);
        var actual = families.GetProperty(slice[..separator]).GetProperty("groups").GetProperty(slice[(separator + 2)..]).GetProperty("metrics").GetProperty(metric);
        var test = actual.GetProperty("test");
        var difference = actual.GetProperty("difference").GetDouble();
        var p = test.GetProperty("p_value").GetDouble();
        var what = $"{slice} {metric}";
        Assert.True(Math.Abs(expected.GetProperty("difference").GetDouble() - difference) < 1e-12, $"{what}: difference {difference}");
        switch (expected.GetProperty("method").GetString())
        {
            case "z":
                Assert.StartsWith("Two-proportion z test (pooled)", test.GetProperty("method").GetString(), StringComparison.Ordinal);
                Assert.Equal(expected.GetProperty("statistic").GetDouble(), test.GetProperty("statistic").GetDouble(), 1e-9);
                Assert.True(Math.Abs(expected.GetProperty("p_value").GetDouble() - p) <= 1e-9 * Math.Max(p, 1e-300) + 1e-15, $"{what}: p {p}");
                break;
            case "fisher":
                Assert.StartsWith("Fisher exact", test.GetProperty("method").GetString(), StringComparison.Ordinal);
                Assert.Equal(expected.GetProperty("p_value").GetDouble(), p, 1e-9);
                break;
            default:
                // Patients resampled whole: the run's standard error (difference / z) agrees with numpy's 20,000
                // resamples within Monte Carlo error (the run draws 1,000: ~2% relative; 10% is about 4 of those).
                Assert.StartsWith("Cluster bootstrap z (1000 resamples of patients", test.GetProperty("method").GetString(), StringComparison.Ordinal);
                var se = difference / test.GetProperty("statistic").GetDouble();
                var referenceSe = expected.GetProperty("bootstrap_se").GetDouble();
                Assert.True(Math.Abs(se / referenceSe - 1) < 0.10, $"{what}: bootstrap SE {se} vs numpy {referenceSe}");
                Assert.Equal(2.80158521811, actual.GetProperty("minimum_detectable_difference").GetDouble() / se, 6);
                Assert.True(Math.Abs(expected.GetProperty("bootstrap_p").GetDouble() - p) < 0.05, $"{what}: p {p} vs numpy's {expected.GetProperty("bootstrap_p").GetDouble()}");

                // The seeded bootstrap is reproducible: the same raw p the reference corrected for multiplicity.
                Assert.Equal(expected.GetProperty("p_value").GetDouble(), p, 1e-12);
                break;
        }

        Assert.Equal(expected.GetProperty("adjusted_bh").GetDouble(), test.GetProperty("adjusted_p").GetDouble(), 1e-9);
    }
}
