using System.Text;
using System.Text.RegularExpressions;
using ValidationLab.Requests;

namespace ValidationLab.Suites.MedQA;

/// <summary>
/// Reads the chosen option letter from a free-text answer. It takes a stated answer ("The answer is (C)",
/// "Final Answer: C", "Answer: C) Ampicillin"), a leading letter ("C.", "**C**"), a bare letter (recorded
/// predictions) or the text of exactly one option, and refuses rather than guesses when the answer is ambiguous
/// ("A or C"), names a letter that is not an option, contradicts itself, or declines: a guessed letter would be
/// scored as the model's answer.
/// </summary>
public static partial class AnswerExtractor
{
    private const int SnippetLength = 60;

    /// <summary>Extract the letter of one of <paramref name="options"/> from <paramref name="response"/>.</summary>
    public static AnswerExtraction Extract(string? response, IReadOnlyList<AnswerChoice> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(response))
        {
            return new AnswerExtraction(null, "empty response");
        }

        // Markdown emphasis and headings carry no meaning for the answer ("**C**", "### Final Answer").
        var text = Markup().Replace(response, "").Trim();
        var letters = options.Select(o => o.Label).ToList();

        if (Bare().Match(text) is { Success: true } bare)
        {
            return Accept(bare, text, options, letters, "a bare letter");
        }

        var statements = Statement().Matches(text);
        if (statements.Count > 0)
        {
            // Models restate and sometimes revise; the last stated answer is the one they ended on.
            var last = statements[^1];
            var how = statements.Count == 1 ? "the stated answer" : $"the last of {statements.Count} stated answers";
            return Accept(last, text, options, letters, how);
        }

        if (Leading().Match(text) is { Success: true } leading)
        {
            return Accept(leading, text, options, letters, "the leading letter");
        }

        if (Alternatives().Match(text) is { Success: true } alternatives)
        {
            return Ambiguous([alternatives.Groups["a"].Value, alternatives.Groups["b"].Value]);
        }

        var mentioned = Mention().Matches(text).Select(m => m.Groups["l"].Value.ToUpperInvariant())
            .Distinct().Order(StringComparer.Ordinal).ToList();
        if (mentioned.Count > 1)
        {
            return Ambiguous(mentioned);
        }

        if (mentioned.Count == 1)
        {
            return letters.Contains(mentioned[0])
                ? new AnswerExtraction(mentioned[0], $"extracted {mentioned[0]} from the only option named in the answer")
                : NotAnOption(mentioned[0], letters);
        }

        if (ByOptionText(text, options) is { } byText)
        {
            return byText;
        }

        return Declined().Match(text) is { Success: true } declined
            ? new AnswerExtraction(null, $"declined to answer: '{Snippet(declined.Value)}'")
            : new AnswerExtraction(null, "no answer letter or option text found");
    }

    private static AnswerExtraction Accept(Match match, string text, IReadOnlyList<AnswerChoice> options, List<string> letters, string how)
    {
        var letter = match.Groups["l"].Value.ToUpperInvariant();
        var after = text[(match.Index + match.Length)..];

        // "(A) Ampicillin or (C) Ceftriaxone": look past the chosen option's own text for a second choice.
        var chosen = options.FirstOrDefault(o => o.Label == letter);
        var afterText = after.TrimStart(' ', '.', ')', ':', ']', '-');
        var beyond = chosen is not null && afterText.StartsWith(chosen.Text.Trim(), StringComparison.OrdinalIgnoreCase)
            ? afterText[chosen.Text.Trim().Length..]
            : after;
        var tail = Tail().Match(after);
        if (!tail.Success)
        {
            tail = Tail().Match(beyond);
        }

        if (tail.Success)
        {
            return Ambiguous([letter, tail.Groups["l"].Value.ToUpperInvariant()]);
        }

        if (!letters.Contains(letter))
        {
            return NotAnOption(letter, letters);
        }

        // "C) Ampicillin" when Ampicillin is option B: the letter and the text disagree, so neither can be trusted.
        var restOfLine = Normalize(after.Split('\n')[0]);
        var named = restOfLine.Length == 0 ? null : options.FirstOrDefault(o => Normalize(o.Text) == restOfLine);
        if (named is not null && named.Label != letter)
        {
            return new AnswerExtraction(null,
                $"contradictory: says {letter} but quotes the text of option {named.Label} ('{Snippet(named.Text)}')");
        }

        return new AnswerExtraction(letter, $"extracted {letter} from {how} '{Snippet(match.Value)}'");
    }

    private static AnswerExtraction? ByOptionText(string text, IReadOnlyList<AnswerChoice> options)
    {
        // Only the option's text on its own (or right after "The answer is") counts: a longer answer that mentions
        // one option may be rejecting it ("ampicillin is not appropriate"), so it is not read as choosing it.
        var candidates = new List<string> { text };
        if (AnswerIsText().Match(text) is { Success: true } stated)
        {
            candidates.Add(stated.Groups["t"].Value);
        }

        foreach (var candidate in candidates.Select(Normalize).Where(c => c.Length > 0))
        {
            var matches = options.Where(o => Normalize(o.Text) == candidate).Select(o => o.Label).ToList();
            if (matches.Count == 1)
            {
                return new AnswerExtraction(matches[0], $"extracted {matches[0]} from the option text '{Snippet(candidate)}'");
            }

            if (matches.Count > 1)
            {
                return Ambiguous(matches);
            }
        }

        return null;
    }

    private static AnswerExtraction Ambiguous(IReadOnlyList<string> letters) =>
        new(null, $"ambiguous: mentions {string.Join(" and ", letters.Distinct().Order(StringComparer.Ordinal))}");

    private static AnswerExtraction NotAnOption(string letter, List<string> letters) =>
        new(null, $"answered {letter}, which is not an option ({letters[0]}-{letters[^1]})");

    /// <summary>
    /// Lower case, letters, digits and symbols only, single spaces: "Ampicillin." equals "ampicillin". Symbols stay
    /// because some options are nothing else (MedQA has "↓ ↑ ↓" answer grids).
    /// </summary>
    internal static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsLetterOrDigit(c) || char.IsSymbol(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return builder.ToString();
    }

    private static string Snippet(string text)
    {
        var oneLine = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= SnippetLength ? oneLine : oneLine[..SnippetLength] + "…";
    }

    // A letter as models write it: "(C)", "[C]", "C" standing alone, or "c" when nothing follows but punctuation.
    private const string Letter = @"(?:\(\s*(?<l>[A-Za-z])\s*\)|\[(?<l>[A-Za-z])\]|(?<l>[A-E])(?![\w'’-])|(?<l>[a-e])(?=\s*[.)]?\s*$))";

    [GeneratedRegex(@"[*`#]+", RegexOptions.CultureInvariant)]
    private static partial Regex Markup();

    [GeneratedRegex(@"^(?:(?i:option|choice|answer)\s*)?\(?\s*(?<l>[A-Za-z])\s*\)?\s*[.):]?$", RegexOptions.CultureInvariant)]
    private static partial Regex Bare();

    [GeneratedRegex(
        @"(?i:\b(?:final\s+answer|correct\s+answer|best\s+answer|right\s+answer|answer|correct\s+(?:option|choice)|best\s+(?:option|choice)))"
        + @"\s*(?i:is|would\s+be|will\s+be|should\s+be|must\s+be|=|:|-)?\s*:?\s*"
        + @"(?i:(?:therefore|thus|likely|probably|most\s+likely|clearly)\s+)?"
        + @"(?i:(?:option|choice|letter)\s*:?\s*)?" + Letter,
        RegexOptions.CultureInvariant)]
    private static partial Regex Statement();

    [GeneratedRegex(@"^(?i:(?:option|choice)\s+)?(?:\(\s*(?<l>[A-Za-z])\s*\)|(?<l>[A-E])(?=\s*[.):\]]|\s+-|\s*\r?\n|\s*$))", RegexOptions.CultureInvariant)]
    private static partial Regex Leading();

    [GeneratedRegex(@"^\s*[).:\]]?\s*(?i:or|and|/|,|&|vs\.?|versus)\s*(?i:(?:option|choice)\s+)?(?:\(\s*(?<l>[A-Za-z])\s*\)|(?<l>[A-E])(?![\w'’-]))", RegexOptions.CultureInvariant)]
    private static partial Regex Tail();

    [GeneratedRegex(@"\b(?<a>[A-E])\)?\s*(?i:or|/|and|,)\s*\(?(?<b>[A-E])\b", RegexOptions.CultureInvariant)]
    private static partial Regex Alternatives();

    [GeneratedRegex(@"(?i:\b(?:option|choice)\s+)(?<l>[A-E])(?![\w'’-])|\(\s*(?<l>[A-E])\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex Mention();

    [GeneratedRegex(@"(?i:\banswer\s*(?:is|:)\s*)(?<t>[^\n]+)$", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex AnswerIsText();

    [GeneratedRegex(
        @"(?i)\b(?:i\s+(?:cannot|can't|can\s+not|won't|am\s+unable|am\s+not\s+able)|i['’]m\s+(?:unable|not\s+able)|unable\s+to\s+(?:answer|determine|choose|select|provide)|not\s+(?:able|comfortable)\s+to|consult\s+(?:a|your)\s+(?:doctor|physician|healthcare))[^.\n]*",
        RegexOptions.CultureInvariant)]
    private static partial Regex Declined();
}
