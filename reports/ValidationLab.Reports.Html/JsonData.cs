using System.Globalization;
using System.Text;

namespace ValidationLab.Reports.Html;

/// <summary>
/// Writes JSON for the page's <c>&lt;script type="application/json"&gt;</c> data block. Strings first go through
/// <see cref="HtmlText.Neutralize"/> (the one encoder's rule for invisible characters: bidi overrides become a
/// visible <c>[U+202E]</c>), then are JSON-escaped with <c>&lt; &gt; &amp;</c> and U+2028/2029 written as \u
/// escapes, so no data can close the script element, open a comment or end a JavaScript line. The script reads the
/// block with JSON.parse and writes it into the page with textContent only.
/// </summary>
internal static class JsonData
{
    public static void String(StringBuilder sb, string? text)
    {
        if (text is null)
        {
            sb.Append("null");
            return;
        }

        string s = HtmlText.Neutralize(text);
        sb.Append('"');
        foreach (char c in s)
        {
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
                case < ' ': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
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
