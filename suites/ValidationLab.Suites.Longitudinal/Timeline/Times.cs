using System.Globalization;

namespace ValidationLab.Suites.Longitudinal.Timeline;

/// <summary>
/// The one rule for timestamps, for every reader:
/// <list type="bullet">
/// <item>a timestamp with an offset ("2014-05-06T04:34:30-04:00", "...Z") is converted to UTC;</item>
/// <item>a timestamp without an offset ("2164-10-23 21:09:00", as MIMIC writes them) is taken as UTC. MIMIC's
/// times are naive local times shifted per patient into 2100–2200, so only intervals within a patient mean
/// anything; treating them as UTC keeps those intervals exact (no daylight-saving gaps);</item>
/// <item>a date without a time ("2014-05-06") is made known at the END of that day (23:59:59 UTC): a fact
/// recorded "some time that day" is never shown to a model before the day is over, so a date can never leak the
/// future into a decision point earlier that day.</item>
/// </list>
/// </summary>
public static class Times
{
    private static readonly string[] NaiveFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    /// <summary>Parse under the rule above; false when the text is not a timestamp.</summary>
    public static bool TryParse(string? text, out DateTime utc)
    {
        utc = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Length == 10 && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            utc = DateTime.SpecifyKind(day.Date.AddDays(1).AddSeconds(-1), DateTimeKind.Utc);
            return true;
        }

        if (HasOffset(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto))
        {
            utc = dto.UtcDateTime;
            return true;
        }

        if (DateTime.TryParseExact(text, NaiveFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var naive))
        {
            utc = DateTime.SpecifyKind(naive, DateTimeKind.Utc);
            return true;
        }

        return false;
    }

    /// <summary>A calendar date (birth dates): midnight UTC of that day; a full timestamp keeps its UTC date.</summary>
    public static bool TryParseDate(string? text, out DateTime date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.Length >= 10 && DateTime.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            date = DateTime.SpecifyKind(d, DateTimeKind.Utc);
            return true;
        }

        return false;
    }

    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ToOffset(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private static bool HasOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }

        var t = text.IndexOf('T');
        if (t < 0)
        {
            t = text.IndexOf(' ');
        }

        return t > 0 && (text.IndexOf('+', t) > 0 || text.IndexOf('-', t) > 0);
    }
}
