using System.Text.Json;

namespace ValidationLab.Reports.Tests;

/// <summary>The item browser's JSON data block read back as the page's script reads it (each line inflated, then JSON.parse).</summary>
internal static class ItemData
{
    private const string Open = "<script type=\"application/octet-stream\" id=\"items-data\" data-chunk=\"200\">";

    public sealed record Row(int Suite, string Id, string Outcome, string? Question, string? Output, string? Answer, string? Gold,
        string Why, string? Error, string[] Strata, int? Flipped, string Details);

    private const string Rest = "<script type=\"application/octet-stream\" id=\"items-rest\">";

    /// <summary>The raw text of the two blocks (first chunk, the rest after the script), exactly as in the page, joined by a line break.</summary>
    public static string Raw(string page) => Block(page, Open) + "\n" + Block(page, Rest);

    private static string Block(string page, string open)
    {
        int start = page.IndexOf(open, StringComparison.Ordinal);
        Assert.True(start >= 0, "no item data block " + open);
        start += open.Length;
        int end = page.IndexOf("</script>", start, StringComparison.Ordinal);
        return page[start..end];
    }

    /// <summary>Every item, read back as the page's script reads it: each line inflated, then JSON.parse.</summary>
    public static IReadOnlyList<Row> Parse(string page) =>
        [.. ValidationLab.Reports.Html.Sections.ItemPayload.Decode(Raw(page)).SelectMany(Chunk)];

    private static IReadOnlyList<Row> Chunk(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(a => new Row(
            a[0].GetInt32(), a[1].GetString()!, a[2].GetString()!, a[3].GetString(), a[4].GetString(), a[5].GetString(), a[6].GetString(),
            a[7].GetString()!, a[8].GetString(), [.. a[9].EnumerateArray().Select(s => s.GetString()!)],
            a[10].ValueKind == JsonValueKind.Null ? null : a[10].GetInt32(), a[11].GetString()!)).ToList();
    }
}
