using System.Text.Json;

namespace ValidationLab.Reports.Tests;

/// <summary>The item browser's JSON data block read back as the page's script reads it (JSON.parse of its text).</summary>
internal static class ItemData
{
    private const string Open = "<script type=\"application/json\" id=\"items-data\">";

    public sealed record Row(int Suite, string Id, string Outcome, string? Question, string? Output, string? Answer, string? Gold,
        string Why, string? Error, string[] Strata, int? Flipped, string Details);

    /// <summary>The raw text of the block, exactly as it sits in the page.</summary>
    public static string Raw(string page)
    {
        int start = page.IndexOf(Open, StringComparison.Ordinal);
        Assert.True(start >= 0, "no item data block");
        start += Open.Length;
        int end = page.IndexOf("</script>", start, StringComparison.Ordinal);
        return page[start..end];
    }

    public static IReadOnlyList<Row> Parse(string page)
    {
        using JsonDocument doc = JsonDocument.Parse(Raw(page));
        return doc.RootElement.GetProperty("items").EnumerateArray().Select(a => new Row(
            a[0].GetInt32(), a[1].GetString()!, a[2].GetString()!, a[3].GetString(), a[4].GetString(), a[5].GetString(), a[6].GetString(),
            a[7].GetString()!, a[8].GetString(), [.. a[9].EnumerateArray().Select(s => s.GetString()!)],
            a[10].ValueKind == JsonValueKind.Null ? null : a[10].GetInt32(), a[11].GetString()!)).ToList();
    }
}
