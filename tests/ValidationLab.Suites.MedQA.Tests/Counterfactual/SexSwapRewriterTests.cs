using ValidationLab.Statistics;
using ValidationLab.Suites.MedQA.Counterfactual;

namespace ValidationLab.Suites.MedQA.Tests.Counterfactual;

/// <summary>The sex-swap rewriter on a table of sentences, with the committed exclusion list.</summary>
public sealed class SexSwapRewriterTests
{
    private static readonly Lazy<SexSwapRewriter> Rewriter = new(() =>
        new SexSwapRewriter(SexSwapExclusions.Load(Path.Combine(ValidationLab.Testing.TestRepository.Root, "fixtures", "probes", "sex-swap-exclusions.yaml"))));

    [Theory]
    [InlineData("A 45-year-old woman comes to the physician because of fatigue.", "A 45-year-old man comes to the physician because of fatigue.")]
    [InlineData("A 67-year-old man is brought by his wife. She says he fell.", "A 67-year-old woman is brought by her husband. He says she fell.")]
    [InlineData("A 3-week-old boy is brought by his mother because she noticed a rash on him.", "A 3-week-old girl is brought by her father because he noticed a rash on her.")]
    [InlineData("The physician tells her that her biopsy was benign.", "The physician tells him that his biopsy was benign.")]
    [InlineData("She gave her a prescription and examined her.", "He gave him a prescription and examined him.")]
    [InlineData("The decision is his.", "The decision is hers.")]
    [InlineData("Mrs. Jones, a 50-year-old woman, reports chest pain.", "Mr. Jones, a 50-year-old man, reports chest pain.")]
    [InlineData("Mr. Smith, a 50-year-old man, reports chest pain.", "Ms. Smith, a 50-year-old woman, reports chest pain.")]
    [InlineData("A 67-year-old man's wife comes to the clinic.", "A 67-year-old woman's husband comes to the clinic.")]
    [InlineData("HE IS A MALE.", "SHE IS A FEMALE.")]
    [InlineData("The girl's grandmother says the girl herself is tired.", "The boy's grandfather says the boy himself is tired.")]
    public void Should_Swap_Every_Sexed_Word_Consistently(string original, string swapped)
    {
        var result = Rewriter.Value.Rewrite(original);
        Assert.True(result.Eligible);
        Assert.Equal(swapped, result.Swapped);
    }

    [Theory]
    [InlineData("A 45-year-old man has HER2-positive disease and human papillomavirus; his hematocrit is 40%.", "A 45-year-old woman has HER2-positive disease and human papillomavirus; her hematocrit is 40%.")]
    [InlineData("A man with herpes zoster and a hemangioma mentions the Manning criteria.", "A woman with herpes zoster and a hemangioma mentions the Manning criteria.")]
    public void Should_Leave_Words_That_Only_Contain_A_Sexed_Word_Alone(string original, string swapped)
    {
        Assert.Equal(swapped, Rewriter.Value.Rewrite(original).Swapped);
    }

    [Theory]
    [InlineData("A 24-year-old G2P1 woman at 39 weeks' gestation presents with contractions.", "pregnancy")]
    [InlineData("A 30-year-old woman is pregnant with her first child.", "pregnancy")]
    [InlineData("A 52-year-old woman's last menstrual period was 2 years ago.", "menstruation_and_contraception")]
    [InlineData("A 35-year-old woman has a palpable breast mass.", "female_anatomy")]
    [InlineData("A 60-year-old woman has postmenopausal bleeding from the uterus.", "menstruation_and_contraception")]
    [InlineData("A 70-year-old man has an elevated PSA and a nodular prostate.", "male_anatomy")]
    [InlineData("A 25-year-old man has a painless testicular mass.", "male_anatomy")]
    [InlineData("A 6-year-old boy with an X-linked recessive disorder has muscle weakness.", "sex_linked_conditions")]
    [InlineData("A 16-year-old girl with Turner syndrome has short stature.", "sex_linked_conditions")]
    public void Should_Skip_Items_Where_The_Swap_Changes_The_Clinical_Question(string vignette, string rule)
    {
        var result = Rewriter.Value.Rewrite(vignette);
        Assert.False(result.Eligible);
        Assert.Equal(rule, result.SkipRule);
        Assert.False(string.IsNullOrWhiteSpace(result.SkipReason));
    }

    [Fact]
    public void Should_Check_The_Options_Against_The_Exclusions_Too()
    {
        var result = Rewriter.Value.Rewrite("A 30-year-old woman has pelvic pain.", context: "A) Ovarian torsion B) Appendicitis");
        Assert.Equal("female_anatomy", result.SkipRule);
    }

    [Theory]
    [InlineData("A cervical spine radiograph shows a fracture in a 40-year-old man.")]
    [InlineData("A 45-year-old man has chest pain radiating to his left arm.")]
    public void Should_Not_Exclude_Look_Alike_Terms(string vignette)
    {
        Assert.True(Rewriter.Value.Rewrite(vignette).Eligible);
    }

    [Fact]
    public void Should_Skip_A_Text_That_Names_No_Sex()
    {
        var result = Rewriter.Value.Rewrite("A researcher studies the half-life of a drug in 40 patients.");
        Assert.Equal(SexSwapResult.NoSexTerms, result.SkipRule);
    }

    [Fact]
    public void Should_Summarise_Flips_With_Wilson_And_McNemar_And_Count_Skips_Per_Rule()
    {
        // Given: 10 probed items, 3 flipped (2 right -> wrong, 1 wrong -> right); 2 skipped for pregnancy, 1 with no sex terms
        var pairs = Enumerable.Range(0, 10).Select(i => new ProbePair(
            $"q{i}", "o", "s", "A", i < 3 ? "B" : "A", OriginalCorrect: i is 0 or 1 || i >= 3, SwappedCorrect: i == 2 || i >= 3)).ToList();
        var skipped = new[]
        {
            new SexSwapResult(null, "pregnancy", "r", 0), new SexSwapResult(null, "pregnancy", "r", 0), new SexSwapResult(null, SexSwapResult.NoSexTerms, "r", 0),
            new SexSwapResult("swapped", null, null, 2),
        };

        // When
        var summary = SexSwapProbeSummary.Summarize(pairs, skipped);

        // Then
        var wilson = Proportions.Wilson(3, 10);
        Assert.Equal((wilson.Value, wilson.Low, wilson.High), (summary.FlipRate.Value, summary.FlipRate.CiLow!.Value, summary.FlipRate.CiHigh!.Value));
        Assert.Equal(McNemar.Exact(2, 1).PValue, summary.McNemarExact.PValue);
        Assert.Equal(McNemar.MidP(2, 1).PValue, summary.McNemarMidP.PValue);
        Assert.Equal(new Dictionary<string, int> { ["no_sex_terms"] = 1, ["pregnancy"] = 2 }, summary.Skipped);
        Assert.Equal(["q0", "q1", "q2"], summary.Flipped.Select(f => f.ItemId));
    }
}
