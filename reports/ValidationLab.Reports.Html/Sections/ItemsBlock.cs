using System.Text;
using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// The item browser for clinical reviewers. The filters read a small JSON index of every item; the items' text travels
/// compressed in chunks (<see cref="ItemPayload"/>) that the page's script inflates only for the page on screen and
/// draws with DOM text nodes, so a 50,000-item run opens about as quickly as a small one. Filters: suite, outcome, stratum (the slice fields), flipped against the production run
/// (when a comparison is present) and free text. Each item opens to the question, the model's output verbatim, the
/// extracted answer, the gold answer and why it was scored so.
/// </summary>
internal static class ItemsBlock
{
    public const string Anchor = "items";
    public const string DataId = "items-data";
    public const string IndexId = "items-index";
    public const string RestId = "items-rest";

    /// <summary>In a suite's section: how many items it has and a link that opens the browser on that suite.</summary>
    public static void WriteSuiteLink(HtmlWriter html, SuiteView suite, int suiteIndex)
    {
        html.Element("h3", "Items").Line();
        if (suite.Items.Count == 0)
        {
            html.Element("p", "No items were recorded for this suite.", "muted").Line();
            return;
        }

        html.Open("p").Open("a", ("href", "#" + Anchor), ("class", "suite-items"), ("data-suite", suiteIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Text("Browse the " + MetricText.Count(suite.Items.Count) + " items of suite " + suite.Name).Close("a").Close("p").Line();
    }

    public static void Write(HtmlWriter html, ReportModel model, CancellationToken cancellationToken)
    {
        html.Open("section", ("id", Anchor), ("class", "items")).Element("h2", "Items").Line();
        int total = model.Suites.Sum(s => s.Items.Count);
        html.Element("p", "Select a row to see the question, the model's output exactly as received, the answer extracted "
            + "from it, the reference answer and why the item was scored as it was. " + MetricText.Count(total) + " items in all.", "muted small").Line();
        html.Element("noscript", "The item browser needs JavaScript. Every item is also in items.jsonl and items.csv of the run.").Line();

        html.Open("div", ("class", "filters"), ("hidden", ""), ("role", "search"), ("aria-label", "Filter items"));
        Select(html, "f-suite", "Suite", model.Suites.Select((s, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Name + " (" + MetricText.Count(s.Items.Count) + ")")));
        Select(html, "f-status", "Outcome",
        [
            ("i", "Incorrect (incl. unparseable)"), ("c", "Correct"), ("u", "Unparseable"), ("e", "Errored"), ("s", "Scored (no right or wrong)"),
        ]);
        Select(html, "f-stratum", "Stratum", Strata(model).Select(s => (s, s)));
        List<SliceGroupItems> slices = SliceGroupItems.Find(model);
        if (slices.Count > 0)
        {
            Select(html, "f-slice", "Slice group", slices.Select((g, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), g.Label + " (" + MetricText.Count(g.Items.Count) + ")")));
        }

        if (model.Evidence.Comparison is not null)
        {
            Select(html, "f-flip", "Against production", [("1", "Flipped (correct in one run only)"), ("0", "Not flipped")]);
        }

        html.Open("label", ("for", "f-text")).Text("Search").Close("label");
        html.Void("input", ("id", "f-text"), ("type", "search"), ("placeholder", "id, question, output…"));
        html.Close("div").Line();
        html.Open("div", ("class", "pager"), ("hidden", ""), ("role", "navigation"), ("aria-label", "Item pages"));
        html.Open("button", ("type", "button"), ("id", "p-prev")).Text("Previous page").Close("button");
        html.Open("span", ("id", "p-status"), ("class", "muted small"), ("aria-live", "polite")).Close("span");
        html.Open("button", ("type", "button"), ("id", "p-next")).Text("Next page").Close("button");
        html.Close("div").Line();
        html.Open("div", ("id", "item-rows"), ("class", "rows")).Close("div").Line();

        html.Open("script", ("type", "application/json"), ("id", IndexId));
        WriteIndex(html.TrustedBuffer, model, slices, cancellationToken);
        html.Close("script").Line();
        html.Open("script", ("type", "application/octet-stream"), ("id", DataId), ("data-chunk", ItemPayload.ChunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        ItemPayload.Write(html.TrustedBuffer, model, 0, ItemPayload.FirstChunks, cancellationToken, html.Flush);
        html.Close("script").Line();
        html.Close("section").Line();
    }

    /// <summary>
    /// The rest of the items' text, written after the page's script (the end of the body): the page is drawn and
    /// usable while these bytes, most of a large report, are still being read.
    /// </summary>
    public static void WriteRest(HtmlWriter html, ReportModel model, CancellationToken cancellationToken)
    {
        html.Open("script", ("type", "application/octet-stream"), ("id", RestId));
        // Straight into the page: the block is large, not worth copying.
        ItemPayload.Write(html.TrustedBuffer, model, ItemPayload.FirstChunks, int.MaxValue, cancellationToken, html.Flush);
        html.Close("script").Line();
    }

    private static void Select(HtmlWriter html, string id, string label, IEnumerable<(string Value, string Text)> options)
    {
        html.Open("label", ("for", id)).Text(label).Close("label");
        html.Open("select", ("id", id)).Open("option", ("value", "")).Text("All").Close("option");
        foreach ((string value, string text) in options)
        {
            html.Open("option", ("value", value)).Text(text).Close("option");
        }

        html.Close("select");
    }

    private static SortedSet<string> Strata(ReportModel model)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (SuiteView suite in model.Suites)
        {
            foreach (ItemResult item in suite.Items)
            {
                foreach ((string field, string value) in item.Strata)
                {
                    set.Add(field + " = " + value);
                }
            }
        }

        return set;
    }

    /// <summary>
    /// What the filters need, small enough to parse at once at any size: {"strata":[names],"rows":[[suite, outcome,
    /// flipped, [stratum indices], [slice group indices]], …]}. The item texts (the data block) are inflated a chunk at a time.
    /// </summary>
    internal static void WriteIndex(StringBuilder sb, ReportModel model, IReadOnlyList<SliceGroupItems> slices, CancellationToken cancellationToken)
    {
        var inSlices = new Dictionary<int, List<int>>();
        for (int g = 0; g < slices.Count; g++)
        {
            foreach (int item in slices[g].Items)
            {
                if (!inSlices.TryGetValue(item, out List<int>? list))
                {
                    inSlices[item] = list = [];
                }

                list.Add(g);
            }
        }

        SortedSet<string> strata = Strata(model);
        var position = new Dictionary<string, int>(StringComparer.Ordinal);
        sb.Append("{\"strata\":[");
        foreach (string name in strata)
        {
            if (position.Count > 0)
            {
                sb.Append(',');
            }

            position.Add(name, position.Count);
            JsonData.String(sb, name);
        }

        sb.Append("],\"rows\":[");
        IReadOnlySet<string>? flipped = model.Evidence.Comparison?.FlippedItems;
        bool first = true;
        int at = 0;
        for (int s = 0; s < model.Suites.Count; s++)
        {
            SuiteView suite = model.Suites[s];
            cancellationToken.ThrowIfCancellationRequested();
            foreach (ItemResult item in suite.Items)
            {
                sb.Append(first ? "[" : ",[").Append(s).Append(",\"").Append(Key(item)).Append("\",")
                    .Append(flipped is null ? "null" : flipped.Contains(suite.Name + "/" + item.ItemId) ? "1" : "0").Append(",[");
                first = false;
                bool firstStratum = true;
                foreach ((string field, string value) in item.Strata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    sb.Append(firstStratum ? "" : ",").Append(position[field + " = " + value]);
                    firstStratum = false;
                }

                sb.Append("],[");
                if (inSlices.TryGetValue(at++, out List<int>? groups))
                {
                    sb.AppendJoin(',', groups);
                }

                sb.Append("]]");
            }
        }

        sb.Append("]}");
    }

    /// <summary>
    /// One item as an array (field names would otherwise be repeated 50,000 times):
    /// [suite, id, outcome, question, output, answer, gold, why, error, strata, flipped, details].
    /// </summary>
    internal static void WriteItem(StringBuilder sb, int suite, ItemResult item, bool? flipped)
    {
        sb.Append('[').Append(suite).Append(',');
        JsonData.String(sb, item.ItemId);
        sb.Append(',');
        JsonData.String(sb, Key(item));
        sb.Append(',');
        JsonData.String(sb, item.Input);
        sb.Append(',');
        JsonData.String(sb, item.Response);
        sb.Append(',');
        JsonData.String(sb, item.Prediction);
        sb.Append(',');
        JsonData.String(sb, item.Gold);
        sb.Append(',');
        JsonData.String(sb, Why(item));
        sb.Append(',');
        JsonData.String(sb, string.IsNullOrEmpty(item.Error) ? null : item.Error);
        sb.Append(",[");
        bool firstStratum = true;
        foreach ((string field, string value) in item.Strata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!firstStratum)
            {
                sb.Append(',');
            }

            firstStratum = false;
            JsonData.String(sb, field + " = " + value);
        }

        sb.Append("],").Append(flipped switch { null => "null", true => "1", false => "0" }).Append(',');
        JsonData.String(sb, Details(item));
        sb.Append(']');
    }

    // Outcome keys: i = incorrect, u = unparseable (counted incorrect), e = errored, c = correct, s = scored.
    private static string Key(ItemResult item) => item.Status switch
    {
        ItemStatus.Errored => "e",
        ItemStatus.Unparseable => "u",
        _ when item.Correct == true => "c",
        _ when item.Correct == false => "i",
        _ => "s",
    };

    private static string Why(ItemResult item)
    {
        string outcome = item.Status switch
        {
            ItemStatus.Errored => "Errored: no answer, so left out of accuracy (not counted as incorrect).",
            ItemStatus.Unparseable => "Unparseable: no answer could be extracted, counted as incorrect.",
            _ when item.Correct == true => "Correct.",
            _ when item.Correct == false => "Incorrect.",
            _ => "Scored (this suite gives a score, not right or wrong).",
        };
        return string.IsNullOrEmpty(item.Explanation) ? outcome : outcome + " " + item.Explanation;
    }

    private static string Details(ItemResult item)
    {
        var parts = new List<string>(4) { "latency " + MetricText.Milliseconds(item.LatencyMs) };
        if (item.Score is { } score)
        {
            parts.Add("score " + MetricText.Decimal(score, 3));
        }

        if (!string.IsNullOrEmpty(item.ClusterId))
        {
            parts.Add("cluster " + item.ClusterId);
        }

        if (!string.IsNullOrEmpty(item.PromptHash))
        {
            string shortHash = item.PromptHash.Length > 12 ? item.PromptHash[..12] : item.PromptHash;
            parts.Add("prompt hash " + shortHash);
        }

        return string.Join(" · ", parts);
    }
}
