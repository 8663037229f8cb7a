using ValidationLab.Suites.Longitudinal.Timeline;

namespace ValidationLab.Suites.Longitudinal.Tests;

public sealed class TimesTests
{
    [Theory]
    [InlineData("2014-05-06T04:34:30-04:00", "2014-05-06T08:34:30")]
    [InlineData("2014-05-06T08:34:30Z", "2014-05-06T08:34:30")]
    [InlineData("2164-10-23 21:09:00", "2164-10-23T21:09:00")]
    [InlineData("2164-10-23T21:09:00", "2164-10-23T21:09:00")]
    [InlineData("2014-05-06", "2014-05-06T23:59:59")]
    public void Follows_the_one_documented_rule(string text, string utc)
    {
        Assert.True(Times.TryParse(text, out var t));
        Assert.Equal(DateTimeKind.Utc, t.Kind);
        Assert.Equal(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), t);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2014-13-01")]
    [InlineData("")]
    public void Refuses_what_is_not_a_timestamp(string text) => Assert.False(Times.TryParse(text, out _));
}
