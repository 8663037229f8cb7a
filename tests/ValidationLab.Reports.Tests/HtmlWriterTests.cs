using System.Text;
using ValidationLab.Reports.Html;

namespace ValidationLab.Reports.Tests;

public sealed class HtmlWriterTests
{
    [Fact]
    public void Attribute_values_and_text_go_through_the_encoder()
    {
        var sb = new StringBuilder();
        new HtmlWriter(sb).Open("p", ("title", "\" onclick=\"x"), ("class", null)).Text("<b>").Close("p").EnsureClosed();

        Assert.Equal("<p title=\"&quot; onclick=&quot;x\">&lt;b&gt;</p>", sb.ToString());
    }

    [Fact]
    public void Mismatched_or_missing_close_fails_loudly()
    {
        var html = new HtmlWriter(new StringBuilder()).Open("div").Open("span");

        Assert.Throws<InvalidOperationException>(() => html.Close("div"));
        Assert.Throws<InvalidOperationException>(html.EnsureClosed);
    }

    [Theory]
    [InlineData("onclick")]
    [InlineData("data x")]
    [InlineData("Title")]
    [InlineData("a\"b")]
    public void Names_that_are_not_plain_lowercase_or_are_event_handlers_are_refused(string name)
    {
        var html = new HtmlWriter(new StringBuilder());

        Assert.Throws<ArgumentException>(() => html.Open("p", (name, "v")));
    }
}
