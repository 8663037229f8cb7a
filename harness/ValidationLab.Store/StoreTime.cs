using System.Globalization;
using System.Security.Cryptography;

namespace ValidationLab.Store;

/// <summary>Times and run ids as both backends store them.</summary>
internal static class StoreTime
{
    /// <summary>A new run id: UTC start second and 6 random hex digits ("20261203-121500-a1b2c3").</summary>
    public static string NewRunId() =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");

    /// <summary>Now, round-trip text (the runs table's form).</summary>
    public static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// An instant in UTC to whole microseconds: PostgreSQL's timestamptz keeps microseconds, so both backends keep
    /// exactly this and a registered time reads back equal whichever backend holds it.
    /// </summary>
    public static DateTimeOffset Normalize(DateTimeOffset t)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    /// <summary>The registry's text form in SQLite: fixed width, UTC, so text order is time order.</summary>
    public static string Format(DateTimeOffset t) => Normalize(t).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
