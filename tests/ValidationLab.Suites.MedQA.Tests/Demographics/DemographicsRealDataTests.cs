using System.Text.Json;
using ValidationLab.Suites.MedQA.Demographics;
using Xunit.Abstractions;

namespace ValidationLab.Suites.MedQA.Tests.Demographics;

/// <summary>The extractor on all 1,273 vignettes of the real MedQA test split.</summary>
public sealed class DemographicsRealDataTests(ITestOutputHelper output)
{
    private static List<(string Id, string Question)> Vignettes() =>
        File.ReadLines(RealDataTests.TestFile)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("realidx").ToString(), e.GetProperty("question").GetString()!))
            .ToList();

    [RealMedQaDataFact]
    public void Should_Read_Sex_And_Age_For_Almost_Every_Real_Vignette_And_Say_Unknown_For_The_Rest()
    {
        // Given
        var vignettes = Vignettes();

        // When
        var read = vignettes.Select(v => (v.Id, v.Question, Patient: DemographicsExtractor.Extract(v.Question))).ToList();

        // Then
        var sex = read.GroupBy(r => r.Patient.Sex).ToDictionary(g => g.Key, g => g.Count());
        var bands = read.GroupBy(r => r.Patient.AgeYears is { } y ? AgeBands.Band(y, AgeBands.Default) : "unknown").ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("sex: " + string.Join(", ", sex.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));
        output.WriteLine("age_band: " + string.Join(", ", bands.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));
        foreach (var r in read.Where(r => r.Patient.Sex == "unknown").Take(40))
        {
            output.WriteLine($"unknown {r.Id}: {r.Question[..Math.Min(120, r.Question.Length)]} | {r.Patient.Evidence}");
        }

        // Items read by hand: realidx 1 "A 67-year-old man", 3 "A 39-year-old woman", 17 "A 3-month-old boy",
        // 21 "A 3-month-old infant is brought to her pediatrician because she coughs", 0 (a resident, no patient).
        var byId = read.ToDictionary(r => r.Id, r => r.Patient);
        Assert.Equal(("male", 67.0), (byId["1"].Sex, byId["1"].AgeYears!.Value));
        Assert.Equal(("female", 39.0), (byId["3"].Sex, byId["3"].AgeYears!.Value));
        Assert.Equal(("male", 0.0), (byId["17"].Sex, byId["17"].AgeYears!.Value));
        Assert.Equal(("female", 0.0), (byId["21"].Sex, byId["21"].AgeYears!.Value));
        Assert.Equal(("unknown", (double?)null), (byId["0"].Sex, byId["0"].AgeYears));

        // Shape of the whole split: most vignettes open with an aged patient; research, mechanism and follow-up
        // questions (a few percent) have none and must stay unknown.
        Assert.Equal(1273, sex.Values.Sum());
        Assert.InRange(sex.GetValueOrDefault("unknown"), 30, 130);
        Assert.InRange(sex.GetValueOrDefault("female"), 450, 650);
        Assert.InRange(sex.GetValueOrDefault("male"), 550, 750);
        Assert.InRange(bands.GetValueOrDefault("unknown"), 30, 130);
        Assert.All(new[] { "0-17", "18-44", "45-64", "65+" }, b => Assert.True(bands.GetValueOrDefault(b) > 100, b));
    }
}
