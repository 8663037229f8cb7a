using System.Globalization;
using System.Net;
using System.Text;

namespace ValidationLab.Reports.Html;

/// <summary>
/// The one encoder for everything this report writes into HTML, text and attribute values alike. Model outputs are
/// hostile: besides markup they can carry invisible characters (bidi overrides, Unicode tag characters, line
/// separators, control characters) that would make a reviewer read something other than what the model produced.
/// Those are replaced by a visible marker such as <c>[U+202E]</c>; then <see cref="WebUtility.HtmlEncode(string?)"/>
/// escapes <c>&lt; &gt; &amp; " '</c>. Callers always put attribute values in double quotes.
/// </summary>
public static class HtmlText
{
    /// <summary>Encode <paramref name="text"/> for use as HTML text or a double-quoted attribute value.</summary>
    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Encode(text, writer);
        return writer.ToString();
    }

    /// <summary>Encode <paramref name="text"/> straight into <paramref name="output"/> (no intermediate string).</summary>
    public static void Encode(string? text, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        WebUtility.HtmlEncode(Neutralize(text), output);
    }

    /// <summary>
    /// Replace characters a reader cannot see (or that reorder what they see) with a visible marker. Tab, line feed
    /// and carriage return are kept because model outputs are shown with their line breaks. Returns the input
    /// itself when nothing needs replacing, which is the common case and keeps large reports fast.
    /// </summary>
    internal static string Neutralize(string text)
    {
        // Vectorized: jump to the next character outside printable ASCII, and look closer only there.
        int first = 0;
        while (first < text.Length)
        {
            int next = text.AsSpan(first).IndexOfAnyExceptInRange(' ', '~');
            if (next < 0)
            {
                first = text.Length;
                break;
            }

            first += next;
            if (NeedsAttention(text[first]))
            {
                break;
            }

            first++;
        }

        if (first == text.Length)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!NeedsAttention(c))
            {
                sb.Append(c);
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int codePoint = char.ConvertToUtf32(c, text[i + 1]);
                if (IsHidden(codePoint))
                {
                    AppendMarker(sb, codePoint);
                }
                else
                {
                    sb.Append(c).Append(text[i + 1]);
                }

                i++;
            }
            else if (char.IsSurrogate(c))
            {
                // A lone surrogate cannot be written as UTF-8; say so rather than let the writer guess.
                sb.Append('\uFFFD');
            }
            else if (IsHidden(c))
            {
                AppendMarker(sb, c);
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    // Printable ASCII and the kept whitespace are by far the most common; only the rest is examined closely.
    private static bool NeedsAttention(char c) => c is < ' ' and not ('\t' or '\n' or '\r') || c >= '\u007F';

    private static bool IsHidden(int codePoint)
    {
        switch (codePoint)
        {
            case '\t' or '\n' or '\r':
                return false;

            // Zero-width (non-)joiners shape Indic, Persian and emoji text; soft hyphen only affects wrapping.
            case 0x200C or 0x200D or 0x00AD:
                return false;

            case 0xFFFE or 0xFFFF:
                return true;
        }

        UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        return category is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    private static void AppendMarker(StringBuilder sb, int codePoint) =>
        sb.Append("[U+").Append(codePoint.ToString("X4", CultureInfo.InvariantCulture)).Append(']');
}
