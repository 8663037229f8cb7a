using System.Globalization;
using System.Text;

namespace ValidationLab.Reports.Html;

/// <summary>
/// A small forward-only HTML builder over a <see cref="StringBuilder"/>. Every piece of data goes through
/// <see cref="HtmlText"/>; tag and attribute names are code constants and are checked, so data can never become
/// markup. Open elements are tracked so a mismatched close fails loudly in tests instead of producing a page whose
/// structure a hostile string could appear to escape.
/// </summary>
internal sealed class HtmlWriter
{
    private readonly StringBuilder _sb;
    private readonly StringWriter _text;
    private readonly Stack<string> _open = new();

    private readonly Action<StringBuilder>? _sink;

    /// <param name="sink">
    /// Where <see cref="Flush"/> hands what was written so far (then cleared): a page is written out part by part
    /// instead of held whole. Null: everything stays in <paramref name="sb"/>.
    /// </param>
    public HtmlWriter(StringBuilder sb, Action<StringBuilder>? sink = null)
    {
        _sb = sb;
        _sink = sink;
        _text = new StringWriter(sb, CultureInfo.InvariantCulture);
    }

    /// <summary>Hand what was written so far to the sink, and start again empty (nothing without a sink).</summary>
    public void Flush()
    {
        if (_sink is not null)
        {
            _sink(_sb);
            _sb.Clear();
        }
    }

    /// <summary>Open an element. Attributes with a null value are omitted; an empty value is written as name="".</summary>
    public HtmlWriter Open(string tag, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        StartTag(tag, attributes);
        _open.Push(tag);
        return this;
    }

    /// <summary>Open an element with only a class attribute (the most common case).</summary>
    public HtmlWriter OpenClass(string tag, string cssClass) => Open(tag, ("class", cssClass));

    /// <summary>Write a void element such as &lt;meta&gt; or &lt;input&gt;.</summary>
    public HtmlWriter Void(string tag, params ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        StartTag(tag, attributes);
        return this;
    }

    public HtmlWriter Close(string tag)
    {
        if (_open.Count == 0 || !string.Equals(_open.Peek(), tag, StringComparison.Ordinal))
        {
            string expected = _open.Count == 0 ? "nothing" : _open.Peek();
            throw new InvalidOperationException($"Closing <{tag}> but <{expected}> is open.");
        }

        _open.Pop();
        _sb.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>Encoded text.</summary>
    public HtmlWriter Text(string? text)
    {
        HtmlText.Encode(text, _text);
        return this;
    }

    /// <summary>Encoded text of an invariant-culture number or other value.</summary>
    public HtmlWriter Text(int value) => Text(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>&lt;tag class="..."&gt;text&lt;/tag&gt; with the text encoded.</summary>
    public HtmlWriter Element(string tag, string? text, string? cssClass = null) =>
        Open(tag, ("class", cssClass)).Text(text).Close(tag);

    /// <summary>
    /// Markup produced by this assembly itself (constant CSS and script, rendered SVG). Never pass data here.
    /// </summary>
    public HtmlWriter Trusted(string markup)
    {
        _sb.Append(markup);
        return this;
    }

    /// <summary>The page being written, for a large block this assembly produces itself (the item data). Never for data as such.</summary>
    public StringBuilder TrustedBuffer => _sb;

    /// <summary>A line break in the source, so the file diffs and reads well; invisible in the page.</summary>
    public HtmlWriter Line()
    {
        _sb.Append('\n');
        return this;
    }

    /// <summary>Fail if any element was left open.</summary>
    public void EnsureClosed()
    {
        if (_open.Count != 0)
        {
            throw new InvalidOperationException($"<{_open.Peek()}> was never closed.");
        }
    }

    private void StartTag(string tag, ReadOnlySpan<(string Name, string? Value)> attributes)
    {
        CheckName(tag);
        _sb.Append('<').Append(tag);
        foreach ((string name, string? value) in attributes)
        {
            if (value is null)
            {
                continue;
            }

            CheckName(name);
            _sb.Append(' ').Append(name).Append("=\"");
            HtmlText.Encode(value, _text);
            _sb.Append('"');
        }

        _sb.Append('>');
    }

    // Names come from code, never from data; this guards against a future caller mixing the two up.
    private static void CheckName(string name)
    {
        if (name.Length == 0)
        {
            throw new ArgumentException("Empty tag or attribute name.", nameof(name));
        }

        foreach (char c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                throw new ArgumentException($"'{name}' is not a plain lowercase tag or attribute name.", nameof(name));
            }
        }

        if (name.StartsWith("on", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Event-handler attribute '{name}' is not allowed; behaviour lives in the one script.", nameof(name));
        }
    }
}
