using ValidationLab.Reports.Html;

namespace ValidationLab.Reports.Tests;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("it's & done", "it&#39;s &amp; done")]
    [InlineData("line 1\n\tline 2\r\n", "line 1\n\tline 2\r\n")]
    [InlineData("a\u2028b\u2029c", "a[U+2028]b[U+2029]c")]
    [InlineData("bell\u0007 esc\u001b del\u007f c1\u0085", "bell[U+0007] esc[U+001B] del[U+007F] c1[U+0085]")]
    [InlineData("\u202Eright-to-left\u202C \u2066iso\u2069 zw\u200Bsp bom\uFEFF", "[U+202E]right-to-left[U+202C] [U+2066]iso[U+2069] zw[U+200B]sp bom[U+FEFF]")]
    [InlineData("tag \U000E0041\U000E0042", "tag [U+E0041][U+E0042]")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Encodes_markup_and_makes_hidden_characters_visible(string? input, string expected)
    {
        Assert.Equal(expected, HtmlText.Encode(input));
    }

    [Fact]
    public void Lone_surrogate_becomes_a_replacement_character()
    {
        // A Fact, not InlineData: theory data is serialised as UTF-8 by the runner, which would mangle the lone half.
        Assert.Equal("lone \uFFFD half", HtmlText.Encode("lone \uD800 half"));
        Assert.Equal("end \uFFFD", HtmlText.Encode("end \uDC00"));
    }

    [Fact]
    public void Ordinary_clinical_text_keeps_its_meaning()
    {
        // Non-ASCII is either kept or written as a character reference; either way the browser shows the same text.
        string encoded = HtmlText.Encode("Temp 38.5 °C, dose 5 µg/kg — naïve 👩‍⚕️ 患者");

        Assert.DoesNotContain("[U+", encoded, StringComparison.Ordinal);
        Assert.Equal("Temp 38.5 °C, dose 5 µg/kg — naïve 👩‍⚕️ 患者", System.Net.WebUtility.HtmlDecode(encoded));
    }

    [Fact]
    public void Plain_text_is_returned_without_copying()
    {
        const string plain = "The answer is (C).";

        Assert.Same(plain, HtmlText.Neutralize(plain));
    }
}
