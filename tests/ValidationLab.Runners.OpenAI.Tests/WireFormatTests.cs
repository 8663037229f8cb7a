using System.Text;

namespace ValidationLab.Runners.OpenAI.Tests;

public sealed class WireFormatTests
{
    [Fact]
    public void Chat_replies_are_parsed_with_usage_whatever_the_field_order()
    {
        var body = """{"usage":{"completion_tokens":3,"prompt_tokens":11,"total_tokens":14},"choices":[{"finish_reason":"stop","message":{"content":"C. Ampicillin","role":"assistant","extra":[1,{"a":null}]},"index":0},{"index":1,"message":{"content":"other"}}],"id":"x"}""";
        var (text, usage) = WireFormat.ParseChat(Encoding.UTF8.GetBytes(body));
        Assert.Equal("C. Ampicillin", text);
        Assert.Equal(new Requests.TokenUsage(11, 3), usage);

        var (empty, none) = WireFormat.ParseChat(Encoding.UTF8.GetBytes("""{"choices":[{"message":{"content":null}}]}"""));
        Assert.Equal("", empty);
        Assert.Null(none);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"choices\":[{\"message\":{\"content\":\"trunc")]
    [InlineData("{\"choices\":[]}")]
    [InlineData("{\"choices\":{}}")]
    [InlineData("[1,2]")]
    [InlineData("{\"choices\":[{\"message\":{\"content\":\"a\"}}]} trailing")]
    [InlineData("<html>502 Bad Gateway</html>")]
    public void Malformed_chat_bodies_are_reported_as_malformed(string body) =>
        Assert.Throws<MalformedResponseException>(() => WireFormat.ParseChat(Encoding.UTF8.GetBytes(body)));
}
