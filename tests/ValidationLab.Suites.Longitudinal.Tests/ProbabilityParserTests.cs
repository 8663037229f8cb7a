using ValidationLab.Suites.Longitudinal.Rendering;

namespace ValidationLab.Suites.Longitudinal.Tests;

public sealed class ProbabilityParserTests
{
    [Theory]
    [InlineData("Probability: 0.23", 0.23)]
    [InlineData("probability = .4", 0.4)]
    [InlineData("0.23", 0.23)]
    [InlineData("23%", 0.23)]
    [InlineData("I estimate 23 percent.", 0.23)]
    [InlineData("Risk is low. Probability: 5%", 0.05)]
    [InlineData("1", 1.0)]
    [InlineData("0", 0.0)]
    [InlineData("Within 48 hours the chance is 0.3.", 0.3)]
    [InlineData("Given the lactate of 4.2, probability: 0.7", 0.7)]
    public void Reads_a_single_probability(string text, double expected)
    {
        Assert.True(ProbabilityParser.TryParse(text, out var p, out var reason), reason);
        Assert.Equal(expected, p, 10);
    }

    [Theory]
    [InlineData("")]
    [InlineData("I cannot tell.")]
    [InlineData("23")]
    [InlineData("between 0.2 and 0.4")]
    [InlineData("0.2 or maybe 30%")]
    [InlineData("Probability: 1.7")]
    [InlineData("Probability: 0.2. Probability: 0.6")]
    public void Refuses_missing_out_of_range_or_ambiguous_answers(string text) =>
        Assert.False(ProbabilityParser.TryParse(text, out _, out _));
}
