namespace ValidationLab.Reports.Tests;

/// <summary>
/// Just enough of an HTML tokenizer to check what a browser would treat as markup: it finds every tag (a '&lt;'
/// followed by a letter, '/' or '!') outside script and style text, and reads its name and attribute names. Encoded
/// text ("&amp;lt;script&amp;gt;") contains no '&lt;' and so never shows up as a tag — which is the point.
/// </summary>
internal sealed record HtmlTag(string Name, bool Closing, IReadOnlyList<string> Attributes)
{
    public static IReadOnlyList<HtmlTag> Scan(string html)
    {
        var tags = new List<HtmlTag>();
        int i = 0;
        while ((i = html.IndexOf('<', i)) >= 0)
        {
            if (i + 1 >= html.Length || !(char.IsAsciiLetter(html[i + 1]) || html[i + 1] is '/' or '!'))
            {
                i++;
                continue;
            }

            int end = FindTagEnd(html, i);
            HtmlTag tag = Parse(html[(i + 1)..end]);
            tags.Add(tag);
            i = end + 1;

            // Raw-text elements: their content is not markup, skip to the matching close tag.
            if (!tag.Closing && tag.Name is "script" or "style")
            {
                int close = html.IndexOf("</" + tag.Name, i, StringComparison.OrdinalIgnoreCase);
                i = close < 0 ? html.Length : close;
            }
        }

        return tags;
    }

    private static int FindTagEnd(string html, int start)
    {
        char quote = '\0';
        for (int i = start + 1; i < html.Length; i++)
        {
            char c = html[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i;
            }
        }

        return html.Length - 1;
    }

    private static HtmlTag Parse(string inner)
    {
        bool closing = inner.StartsWith('/');
        string body = closing ? inner[1..] : inner;
        int nameEnd = 0;
        while (nameEnd < body.Length && !char.IsWhiteSpace(body[nameEnd]) && body[nameEnd] is not '/' and not '>')
        {
            nameEnd++;
        }

        string name = body[..nameEnd].ToLowerInvariant();
        var attributes = new List<string>();
        int i = nameEnd;
        while (i < body.Length)
        {
            while (i < body.Length && (char.IsWhiteSpace(body[i]) || body[i] == '/'))
            {
                i++;
            }

            int start = i;
            while (i < body.Length && !char.IsWhiteSpace(body[i]) && body[i] is not '=' and not '/')
            {
                i++;
            }

            if (i > start)
            {
                attributes.Add(body[start..i].ToLowerInvariant());
            }

            if (i < body.Length && body[i] == '=')
            {
                i++;
                if (i < body.Length && body[i] is '"' or '\'')
                {
                    char q = body[i];
                    int close = body.IndexOf(q, i + 1);
                    i = close < 0 ? body.Length : close + 1;
                }
                else
                {
                    while (i < body.Length && !char.IsWhiteSpace(body[i]))
                    {
                        i++;
                    }
                }
            }
        }

        return new HtmlTag(name, closing, attributes);
    }
}
