using System.Text.RegularExpressions;
using ValidationLab.Results;

namespace ValidationLab.Reports.Tests;

/// <summary>Model outputs (and any other data) must come out as text, never as markup, whatever they contain.</summary>
public sealed class HostileOutputTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string ImgBreakout = "\"><img src=x onerror=alert(1)>";
    private const string StructureBreakout = "</details></table></div><!--";

    private static readonly string[] AllowedTags =
    [
        "!doctype", "html", "head", "meta", "title", "style", "body", "main", "header", "nav", "section", "footer", "h1", "h2",
        "h3", "strong", "b", "p", "span", "a", "ul", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td",
        "div", "figure", "figcaption", "details", "summary", "button", "input", "script", "noscript", "label", "select", "option", "pre", "!--",
        "svg", "desc", "g", "line", "rect", "text", "path",
    ];

    private static string HostilePage()
    {
        string hostile = Script + ImgBreakout + StructureBreakout + "\u2028\u2029\u0000\u0007\u001b[31m\u202Eevil\u202C\U000E0041\uD800";
        var items = new List<ItemResult>(SampleRuns.SmallItems())
        {
            SampleRuns.Item(hostile, ItemStatus.Scored, hostile, hostile, false, hostile, response: hostile, error: hostile),
        };
        RunResult run = SampleRuns.SmallRun() with { Warnings = [hostile] };

        // Suite data (notes, breakdown values, distribution categories) reaches tables and SVG labels: hostile too.
        SuiteResult medqa = run.Suites["medqa"];
        medqa = medqa with
        {
            Notes = [hostile],
            Breakdowns = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<string, MetricValue>>>
            {
                [hostile] = new Dictionary<string, IReadOnlyDictionary<string, MetricValue>>
                {
                    [hostile] = new Dictionary<string, MetricValue> { [hostile] = SampleRuns.Wilson(0.5, 0.2, 0.8, 4) },
                },
            },
            Distributions = new Dictionary<string, IReadOnlyDictionary<string, int>>
            {
                ["predicted_letter"] = new Dictionary<string, int> { [hostile] = 1 },
                ["gold_letter"] = new Dictionary<string, int> { ["A"] = 1 },
                [hostile] = new Dictionary<string, int> { [hostile] = 2 },
            },
        };
        run = run with { Suites = new Dictionary<string, SuiteResult> { ["medqa"] = medqa, [hostile] = medqa with { Suite = hostile } } };
        return Render.Page(run, items);
    }

    [Fact]
    public void Only_our_own_script_element_is_present()
    {
        IReadOnlyList<HtmlTag> tags = HtmlTag.Scan(HostilePage());

        // The page's own script, and the item index and the two item text blocks (JSON and octet-stream: data, never run).
        Assert.Equal(4, tags.Count(t => t is { Name: "script", Closing: false }));
        Assert.Equal(3, Regex.Count(HostilePage(), "<script type=\"application/(json|octet-stream)\""));
        Assert.Single(tags, t => t is { Name: "script", Closing: false } && t.Attributes.Count == 0);
        Assert.DoesNotContain(tags, t => t.Name == "img");
    }

    [Fact]
    public void No_tag_carries_an_event_handler_or_an_unexpected_name()
    {
        IReadOnlyList<HtmlTag> tags = HtmlTag.Scan(HostilePage());

        Assert.All(tags, t => Assert.Contains(t.Name, AllowedTags));
        Assert.All(tags, t => Assert.DoesNotContain(t.Attributes, a => a.StartsWith("on", StringComparison.Ordinal)));
    }

    [Fact]
    public void Structure_cannot_be_closed_early_by_data()
    {
        IReadOnlyList<HtmlTag> tags = HtmlTag.Scan(HostilePage());

        foreach (string name in new[] { "details", "table", "div", "section", "dl", "summary" })
        {
            Assert.Equal(tags.Count(t => t.Name == name && !t.Closing), tags.Count(t => t.Name == name && t.Closing));
        }

        // The only comments are the two governance markers (docs/governance.md), once each.
        string page = HostilePage();
        Assert.Equal(2, Regex.Count(page, "<!--"));
        Assert.Single(Regex.Matches(page, "<!-- validationlab:governance -->"));
        Assert.Single(Regex.Matches(page, "<!-- /validationlab:governance -->"));
    }

    [Fact]
    public void Item_data_cannot_close_its_script_element_and_reads_back_as_the_neutralized_text()
    {
        string page = HostilePage();
        string raw = ItemData.Raw(page);

        foreach (string forbidden in new[] { "<", ">", "&", "\u2028", "\u2029" })
        {
            Assert.DoesNotContain(forbidden, raw, StringComparison.Ordinal);
        }

        ItemData.Row row = Assert.Single(ItemData.Parse(page), r => r.Output is not null && r.Output.StartsWith(Script, StringComparison.Ordinal));
        Assert.Equal(Script + ImgBreakout + StructureBreakout + "[U+2028][U+2029][U+0000][U+0007][U+001B][31m[U+202E]evil[U+202C][U+E0041]\uFFFD", row.Output);
    }

    [Fact]
    public void Hostile_text_is_shown_encoded_so_the_reviewer_still_reads_it()
    {
        string page = HostilePage();

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", page, StringComparison.Ordinal);
        Assert.Contains("&lt;/details&gt;&lt;/table&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Invisible_and_control_characters_become_visible_markers()
    {
        string page = HostilePage();

        foreach (char c in "\u2028\u2029\u0000\u0007\u001b\u202E\u202C")
        {
            Assert.DoesNotContain(c.ToString(), page, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("\U000E0041", page, StringComparison.Ordinal);
        Assert.Contains("[U+2028][U+2029][U+0000][U+0007][U+001B][31m[U+202E]evil[U+202C][U+E0041]", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_forbids_loading_anything_and_pins_its_own_script_by_hash()
    {
        string page = System.Net.WebUtility.HtmlDecode(HostilePage());

        Assert.Contains("default-src 'none'; style-src 'sha256-", page, StringComparison.Ordinal);
        Assert.Contains("script-src 'sha256-", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
    }
}
