using System.Buffers;
using System.Globalization;
using System.Text;

namespace ValidationLab.Reports.Html;

/// <summary>
/// Writes JSON for the page's data blocks (the item index in a <c>&lt;script type="application/json"&gt;</c>, and
/// each compressed chunk of item text, which is inflated back to this JSON in the page). Strings first go through
/// <see cref="HtmlText.Neutralize"/> (the one encoder's rule for invisible characters: bidi overrides become a
/// visible <c>[U+202E]</c>), then are JSON-escaped with <c>&lt; &gt; &amp;</c> and U+2028/2029 written as \u
/// escapes, so no data can close the script element, open a comment or end a JavaScript line. The script reads it
/// with JSON.parse and writes it into the page with textContent only.
/// </summary>
internal static class JsonData
{
    // Every character String escapes: quote, backslash, markup, the two JavaScript line ends and C0 controls.
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        "\"\\<>&\u2028\u2029" + string.Concat(Enumerable.Range(0, 0x20).Select(i => (char)i)));

    public static void String(StringBuilder sb, string? text)
    {
        if (text is null)
        {
            sb.Append("null");
            return;
        }

        ReadOnlySpan<char> rest = HtmlText.Neutralize(text);
        sb.Append('"');
        // Runs of ordinary characters are copied at once (a vectorized search finds the next one to escape): item
        // text is tens of megabytes at 50,000 items, and a character-by-character append was most of the render time.
        while (true)
        {
            int next = rest.IndexOfAny(Escaped);
            if (next < 0)
            {
                sb.Append(rest);
                break;
            }

            sb.Append(rest[..next]);
            char c = rest[next];
            rest = rest[(next + 1)..];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<': sb.Append("\\u003c"); break;
                case '>': sb.Append("\\u003e"); break;
                case '&': sb.Append("\\u0026"); break;
                case '\u2028': sb.Append("\\u2028"); break;
                case '\u2029': sb.Append("\\u2029"); break;
                default: sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
            }
        }

        sb.Append('"');
    }

    public static void Number(StringBuilder sb, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("null");
        }
    }
}
