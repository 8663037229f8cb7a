using ValidationLab.Reports.Html.Formatting;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>
/// Every item of a suite, one collapsed row each, expandable to the question, the model's output verbatim, the
/// extracted answer, the reference and the reason for the verdict. Rows are kept light (a handful of spans and a
/// definition list) because runs have thousands of items. The filter bar is hidden in the markup and revealed by
/// the script, so without scripts the page shows the full list and no dead buttons.
/// </summary>
internal static class ItemsBlock
{
    private const int SnippetLength = 100;

    public static void Write(HtmlWriter html, SuiteView suite, CancellationToken cancellationToken)
    {
        IReadOnlyList<ItemResult> items = suite.Items;
        html.Open("div", ("class", "items")).Element("h3", "Items").Line();
        if (items.Count == 0)
        {
            html.Element("p", "No items were recorded for this suite.", "muted").Close("div").Line();
            return;
        }

        int incorrect = 0, unparseable = 0, errored = 0;
        foreach (ItemResult item in items)
        {
            switch (item.Status)
            {
                case ItemStatus.Errored: errored++; break;
                case ItemStatus.Unparseable: unparseable++; incorrect++; break;
                case ItemStatus.Scored when item.Correct == false: incorrect++; break;
            }
        }

        html.Element("p", "Select a row to see the question, the model's output exactly as received, the answer extracted "
            + "from it, the reference answer and why the item was scored as it was.", "muted small");
        html.Open("div", ("class", "filters"), ("hidden", ""), ("role", "group"), ("aria-label", "Filter items"));
        FilterButton(html, "all", "All", items.Count, pressed: true);
        FilterButton(html, "i", "Incorrect (incl. unparseable)", incorrect, pressed: false);
        FilterButton(html, "u", "Unparseable", unparseable, pressed: false);
        FilterButton(html, "e", "Errored", errored, pressed: false);
        html.Void("input", ("type", "search"), ("placeholder", "Search id, question, output…"), ("aria-label", "Search items"));
        html.Element("span", MetricText.Count(items.Count) + " of " + MetricText.Count(items.Count) + " items shown", "shown muted small");
        html.Close("div").Line();

        html.Open("div", ("class", "rows"));
        html.Open("div", ("class", "row"), ("aria-hidden", "true")).Trusted("<span></span>").Element("span", "Item")
            .Element("span", "Outcome").Element("span", "Answer").Element("span", "Gold").Element("span", "Question").Close("div").Line();
        for (int i = 0; i < items.Count; i++)
        {
            if ((i & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            WriteItem(html, items[i]);
        }

        html.Close("div").Close("div").Line();
    }

    private static void FilterButton(HtmlWriter html, string key, string label, int count, bool pressed)
    {
        html.Open("button", ("type", "button"), ("data-f", key), ("aria-pressed", pressed ? "true" : "false"))
            .Text(label + " (" + MetricText.Count(count) + ")").Close("button");
    }

    private static void WriteItem(HtmlWriter html, ItemResult item)
    {
        (string keys, string badge, string badgeClass, string outcome) = Outcome(item);
        html.Open("details", ("class", "it"), ("data-k", keys)).Open("summary")
            .Element("span", item.ItemId)
            .Element("span", badge, badgeClass)
            .Element("span", item.Prediction ?? "—")
            .Element("span", item.Gold ?? "—")
            .Element("span", Snippet(item.Input))
            .Close("summary");

        html.Open("dl");
        html.Element("dt", "Question").Element("dd", item.Input ?? "not recorded", "pre");
        html.Element("dt", "Model output (verbatim)");
        if (item.Response is null)
        {
            html.Element("dd", "no output was received", "muted");
        }
        else
        {
            html.Element("dd", item.Response, "pre out");
        }

        html.Element("dt", "Extracted answer").Element("dd", item.Prediction ?? "none could be extracted");
        html.Element("dt", "Gold (reference)").Element("dd", item.Gold ?? "none");
        html.Element("dt", "Outcome").Element("dd", outcome);
        html.Element("dt", "Why").Element("dd", item.Explanation, "pre");
        if (!string.IsNullOrEmpty(item.Error))
        {
            html.Element("dt", "Error").Element("dd", item.Error, "pre");
        }

        if (item.Score is { } score)
        {
            html.Element("dt", "Score").Element("dd", MetricText.Decimal(score, 3));
        }

        html.Element("dt", "Details").Element("dd", Details(item), "small muted");
        html.Close("dl").Close("details").Line();
    }

    // data-k holds the filter keys: i = counted incorrect, u = unparseable, e = errored, c = correct, s = scored.
    private static (string Keys, string Badge, string BadgeClass, string Outcome) Outcome(ItemResult item) => item.Status switch
    {
        ItemStatus.Errored => ("e", "errored", "b b-e", "errored: no answer, so left out of accuracy (not counted as incorrect)"),
        ItemStatus.Unparseable => ("i u", "unparseable", "b b-u", "unparseable: no answer could be extracted, counted as incorrect"),
        _ when item.Correct == true => ("c", "correct", "b b-c", "correct"),
        _ when item.Correct == false => ("i", "incorrect", "b b-i", "incorrect"),
        _ => ("s", "scored", "b b-s", "scored (this suite gives a score, not right or wrong)"),
    };

    private static string Snippet(string? input)
    {
        if (string.IsNullOrEmpty(input))
        {
            return "";
        }

        // The row shows one line; the full question, with its line breaks, is in the expanded view. Only a bounded
        // prefix is examined so very long inputs cost nothing extra.
        string oneLine = (input.Length > SnippetLength * 2 ? input[..(SnippetLength * 2)] : input).ReplaceLineEndings(" ");
        bool truncated = oneLine.Length > SnippetLength || input.Length > SnippetLength * 2;
        if (!truncated)
        {
            return oneLine;
        }

        // Never cut a surrogate pair in half: the lone half would show as a replacement character.
        int cut = Math.Min(SnippetLength, oneLine.Length);
        if (char.IsHighSurrogate(oneLine[cut - 1]))
        {
            cut--;
        }

        return oneLine[..cut] + "…";
    }

    private static string Details(ItemResult item)
    {
        var parts = new List<string>(4) { "latency " + MetricText.Milliseconds(item.LatencyMs) };
        if (!string.IsNullOrEmpty(item.ClusterId))
        {
            parts.Add("cluster " + item.ClusterId);
        }

        foreach ((string field, string value) in item.Strata.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            parts.Add(field + " = " + value);
        }

        if (!string.IsNullOrEmpty(item.PromptHash))
        {
            // The first 12 hex digits identify the prompt in items.jsonl; the full hash would add ~64 bytes per row.
            string shortHash = item.PromptHash.Length > 12 ? item.PromptHash[..12] : item.PromptHash;
            parts.Add("prompt hash " + shortHash);
        }

        return string.Join(" · ", parts);
    }
}
