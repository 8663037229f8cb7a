using ValidationLab.Suites.MedQA.Demographics;

namespace ValidationLab.Suites.MedQA.Tests.Demographics;

/// <summary>The extractor on a table of vignette openings, including ones where it must answer "unknown".</summary>
public sealed class DemographicsExtractorTests
{
    [Theory]
    [InlineData("A 45-year-old woman comes to the physician because of fatigue.", "female", 45.0)]
    [InlineData("A 67-year-old man with transitional cell carcinoma of the bladder comes to the physician.", "male", 67.0)]
    [InlineData("Two weeks after a stent, a 61-year-old man has a rash.", "male", 61.0)]
    [InlineData("a 3-week-old boy is brought to the emergency department.", "male", 0.0)]
    [InlineData("A 3-month-old girl is brought by her parents.", "female", 0.0)]
    [InlineData("A 37-year-old-woman presents to her primary care physician.", "female", 37.0)]
    [InlineData("A 24-year-old G2P1 woman at 39 weeks' gestation presents with contractions.", "female", 24.0)]
    [InlineData("A 30-year-old African American woman comes to the physician.", "female", 30.0)]
    [InlineData("A 59-year-old overweight woman presents to the urgent care clinic.", "female", 59.0)]
    [InlineData("A 68-year-old male comes to the physician for evaluation of flank pain.", "male", 68.0)]
    [InlineData("A 2-day-old male newborn is evaluated for jaundice.", "male", 0.0)]
    [InlineData("A 28-year-old primigravida at 12 weeks' gestation comes for a prenatal visit.", "female", 28.0)]
    [InlineData("A 47-year-old executive schedules an appointment with his physician. He currently has no complaints.", "male", 47.0)]
    [InlineData("A 62-year-old patient has been hospitalized for a week. One week in, he develops a fever.", "male", 62.0)]
    [InlineData("A 32-year-old woman brings her 3-year-old son to the physician because of a cough.", "male", 3.0)]
    [InlineData("A seventeen-year-old girl is brought to the clinic.", "female", 17.0)]
    public void Should_Read_Sex_And_Age_Of_The_Patient(string vignette, string sex, double age)
    {
        var d = DemographicsExtractor.Extract(vignette);
        Assert.Equal((sex, age), (d.Sex, d.AgeYears!.Value));
    }

    [Theory]
    [InlineData("A 67-year-old man's wife comes to the physician because of insomnia.", "female")]
    [InlineData("A 40-year-old woman's husband is brought in after a fall.", "male")]
    [InlineData("A 50-year-old man's physician calls the laboratory.", "unknown")]
    public void Should_Take_The_Possessed_Person_As_The_Patient_And_Leave_Their_Age_Unknown(string vignette, string sex)
    {
        var d = DemographicsExtractor.Extract(vignette);
        Assert.Equal(sex, d.Sex);
        Assert.Null(d.AgeYears);
    }

    [Theory]
    [InlineData("A 3-month-old infant is brought to the physician by his mother because she noticed a rash.", 0.0)]
    [InlineData("A 25-year-old patient comes to the emergency department after a car accident.", 25.0)]
    [InlineData("A 40-year-old presents with chest pain.", 40.0)]
    public void Should_Say_Unknown_Sex_Rather_Than_Guess(string vignette, double age)
    {
        var d = DemographicsExtractor.Extract(vignette);
        Assert.Equal(("unknown", age), (d.Sex, d.AgeYears!.Value));
    }

    [Theory]
    [InlineData("A junior orthopaedic surgery resident is completing a carpal tunnel repair.")]
    [InlineData("A microbiologist is studying the emergence of a virulent strain of the virus.")]
    [InlineData("Which of the following is the most likely mechanism of action of this drug?")]
    [InlineData("")]
    public void Should_Say_Unknown_For_Both_When_No_Patient_Is_Described(string vignette)
    {
        var d = DemographicsExtractor.Extract(vignette);
        Assert.Equal(("unknown", (double?)null), (d.Sex, d.AgeYears));
    }

    [Theory]
    [InlineData("A man is brought into the emergency department by the police.", "male")]
    [InlineData("An elderly woman presents with confusion.", "female")]
    public void Should_Read_A_Stated_Sex_Without_Inventing_An_Age(string vignette, string sex)
    {
        var d = DemographicsExtractor.Extract(vignette);
        Assert.Equal((sex, (double?)null), (d.Sex, d.AgeYears));
    }

    [Fact]
    public void Should_Not_Take_A_Man_Mentioned_Later_For_The_Patient()
    {
        var d = DemographicsExtractor.Extract("A researcher studies a cohort. A man in the cohort develops a rash.");
        Assert.Equal("unknown", d.Sex);
    }

    [Fact]
    public void Should_Read_A_Newborn_Without_A_Number_As_Age_Zero()
    {
        var d = DemographicsExtractor.Extract("A female newborn is delivered at 38 weeks.");
        Assert.Equal(("female", 0.0), (d.Sex, d.AgeYears!.Value));
    }

    [Theory]
    [InlineData(0.0, "0-17")]
    [InlineData(17.0, "0-17")]
    [InlineData(18.0, "18-44")]
    [InlineData(64.0, "45-64")]
    [InlineData(65.0, "65+")]
    public void Should_Band_Ages_With_The_Default_Bands(double years, string band)
    {
        Assert.Equal(band, AgeBands.Band(years, AgeBands.Default));
    }
}
