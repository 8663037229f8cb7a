namespace ValidationLab.Suites.MedQA.Tests;

/// <summary>Real-looking model outputs; options are A Ampicillin, B Vancomycin, C Ceftriaxone, D Doxycycline.</summary>
public sealed class AnswerExtractorTests
{
    public static TheoryData<string, string> Answered => new()
    {
        { "The answer is (C)", "C" },
        { "The answer is (C).", "C" },
        { "C.", "C" },
        { "C", "C" },
        { "B", "B" },
        { "(D)", "D" },
        { "d", "D" },
        { "**C**", "C" },
        { "Answer: C) Ceftriaxone", "C" },
        { "Final Answer: C", "C" },
        { "**Final Answer:** (A) Ampicillin", "A" },
        { "### Final answer\nThe correct answer is B.", "B" },
        { "Ceftriaxone", "C" },
        { "ceftriaxone.", "C" },
        { "The answer is Doxycycline.", "D" },
        { "C) Ceftriaxone", "C" },
        { "A. Ampicillin\n\nAmpicillin covers Listeria, which matters in neonates.", "A" },
        { "Listeria must be covered in a neonate, so ampicillin is needed.\n\nThe answer is (A).", "A" },
        { "Option A is wrong because of resistance. Option B is too broad.\nTherefore, the answer is (D).", "D" },
        { "The answer is (B). On reflection the interaction matters, so the final answer is (C).", "C" },
        { "The best answer is option B, vancomycin.", "B" },
        { "Correct option: D", "D" },
        { "The correct answer is likely C", "C" },
        { "I would choose (B) given the MRSA risk.", "B" },
        { "Answer: b", "B" },
        { "The answer is [D]", "D" },
    };

    public static TheoryData<string?, string> Refused => new()
    {
        { "A or C", "ambiguous: mentions A and C" },
        { "The answer is A or C.", "ambiguous: mentions A and C" },
        { "The answer is (B) or (D), depending on allergy history.", "ambiguous: mentions B and D" },
        { "Either C or A could be right here.", "ambiguous: mentions A and C" },
        { "A/B", "ambiguous: mentions A and B" },
        { "Option A covers Listeria but option C covers meningococcus better.", "ambiguous: mentions A and C" },
        { "(A) Ampicillin and (C) Ceftriaxone together", "ambiguous: mentions A and C" },
        { "The answer is (E)", "answered E, which is not an option (A-D)" },
        { "F", "answered F, which is not an option (A-D)" },
        { "", "empty response" },
        { null, "empty response" },
        { "   \n ", "empty response" },
        { "I cannot provide medical advice. Please consult a doctor.", "declined to answer: 'I cannot provide medical advice'" },
        { "I'm unable to determine the answer without more information.", "declined to answer: 'I'm unable to determine the answer without more information'" },
        { "Ampicillin is not appropriate here because of resistance.", "no answer letter or option text found" },
        { "Ampicillin or vancomycin", "no answer letter or option text found" },
        { "Answer: C) Vancomycin", "contradictory: says C but quotes the text of option B ('Vancomycin')" },
        { "This patient has bacterial meningitis and needs empirical therapy.", "no answer letter or option text found" },
    };

    [Theory]
    [MemberData(nameof(Answered))]
    public void Should_Extract_Letter_From_Stated_Answer(string response, string expected)
    {
        // Given
        var options = Records.Options;

        // When
        var extraction = AnswerExtractor.Extract(response, options);

        // Then
        Assert.True(extraction.Found, $"nothing extracted from '{response}': {extraction.Reason}");
        Assert.Equal(expected, extraction.Letter);
        Assert.StartsWith($"extracted {expected} from", extraction.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Should_Refuse_Ambiguous_Or_Missing_Answer(string? response, string reason)
    {
        // Given
        var options = Records.Options;

        // When
        var extraction = AnswerExtractor.Extract(response, options);

        // Then
        Assert.Null(extraction.Letter);
        Assert.Equal(reason, extraction.Reason);
    }

    [Fact]
    public void Should_Refuse_Ambiguous_Answer()
    {
        // Given
        var response = "Both A or C are reasonable; I cannot decide.";

        // When
        var extraction = AnswerExtractor.Extract(response, Records.Options);

        // Then
        Assert.False(extraction.Found);
        Assert.Equal("ambiguous: mentions A and C", extraction.Reason);
    }

    [Fact]
    public void Should_Accept_E_When_Item_Has_Five_Options()
    {
        // Given
        var options = Records.Options.Append(new Requests.AnswerChoice("E", "Meropenem")).ToList();

        // When
        var extraction = AnswerExtractor.Extract("The answer is (E)", options);

        // Then
        Assert.Equal("E", extraction.Letter);
    }

    [Theory]
    [InlineData("D", "D")]
    [InlineData("↓ ↑ ↓", "D")]
    [InlineData("C) ↓ ↑ ↑", "C")]
    public void Should_Read_Options_Made_Only_Of_Symbols(string response, string expected)
    {
        // Given: a hormone-level grid as in MedQA test item 262, whose option texts have no letters at all
        Requests.AnswerChoice[] options = [new("A", "↓ ↓ ↓"), new("B", "↑ ↑ ↓"), new("C", "↓ ↑ ↑"), new("D", "↓ ↑ ↓")];

        // When
        var extraction = AnswerExtractor.Extract(response, options);

        // Then
        Assert.Equal(expected, extraction.Letter);
    }

    [Fact]
    public void Should_Refuse_Letter_Whose_Quoted_Symbols_Name_Another_Option()
    {
        // Given
        Requests.AnswerChoice[] options = [new("A", "↓ ↓ ↓"), new("B", "↑ ↑ ↓"), new("C", "↓ ↑ ↑"), new("D", "↓ ↑ ↓")];

        // When
        var extraction = AnswerExtractor.Extract("Answer: C) ↓ ↑ ↓", options);

        // Then
        Assert.Null(extraction.Letter);
        Assert.StartsWith("contradictory: says C but quotes the text of option D", extraction.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Say_Where_The_Letter_Came_From()
    {
        // Given / When
        var extraction = AnswerExtractor.Extract("Some reasoning.\nThe answer is (C)", Records.Options);

        // Then
        Assert.Equal("extracted C from the stated answer 'answer is (C)'", extraction.Reason);
    }
}
