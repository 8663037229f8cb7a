using System.Text.Json;
using ValidationLab.Suites.MedQA.Counterfactual;
using ValidationLab.Suites.MedQA.Demographics;
using ValidationLab.Suites.MedQA.Tests.Demographics;
using Xunit.Abstractions;

namespace ValidationLab.Suites.MedQA.Tests.Counterfactual;

/// <summary>The rewriter and the exclusion list on the 1,273 real MedQA test vignettes.</summary>
public sealed class SexSwapRealDataTests(ITestOutputHelper output)
{
    [RealMedQaDataFact]
    public void Should_Swap_The_Extracted_Sex_Of_Every_Eligible_Real_Vignette_And_Count_Skips_Per_Rule()
    {
        // Given
        var rewriter = new SexSwapRewriter(SexSwapExclusions.Load(Path.Combine(ValidationLab.Testing.TestRepository.Root, "fixtures", "probes", "sex-swap-exclusions.yaml")));
        var rows = File.ReadLines(RealDataTests.TestFile).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        // When
        var results = rows.Select(r => (
            Question: r.GetProperty("question").GetString()!,
            Result: rewriter.Rewrite(r.GetProperty("question").GetString()!, string.Join("\n", r.GetProperty("options").EnumerateObject().Select(o => o.Value.GetString()))))).ToList();

        // Then
        var skipped = results.Where(r => !r.Result.Eligible).GroupBy(r => r.Result.SkipRule!).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"eligible {results.Count(r => r.Result.Eligible)}; skipped " + string.Join(", ", skipped.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));
        Assert.InRange(results.Count(r => r.Result.Eligible), 700, 1100);
        Assert.All(new[] { "pregnancy", "female_anatomy", "male_anatomy", SexSwapResult.NoSexTerms }, rule => Assert.True(skipped.GetValueOrDefault(rule) > 5, rule));

        // Every eligible vignette whose patient's sex was read now reads as the other sex.
        var checkedCount = 0;
        foreach (var (question, result) in results.Where(r => r.Result.Eligible))
        {
            var before = DemographicsExtractor.Extract(question);
            if (before.Sex == PatientDemographics.Unknown)
            {
                continue;
            }

            var after = DemographicsExtractor.Extract(result.Swapped!);
            Assert.Equal(before.Sex == PatientDemographics.Female ? PatientDemographics.Male : PatientDemographics.Female, after.Sex);
            Assert.Equal(before.AgeYears, after.AgeYears);
            checkedCount++;
        }

        Assert.True(checkedCount > 600, $"{checkedCount}");
    }
}
