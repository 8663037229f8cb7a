using System.Text;
using System.Text.RegularExpressions;

namespace ValidationLab.Suites.MedQA.Counterfactual;

/// <summary>
/// Rewrites a text with every person's sex swapped consistently — nouns (woman/man, mother/father), pronouns
/// (she/he, her/him/his), possessives (women's/men's) and titles (Mrs./Mr.) — keeping the case of each word, as in
/// counterfactual data augmentation: relatives swap too, so "his wife" becomes "her husband" and the story stays
/// coherent. Items where the swap would change the clinical question (pregnancy, sex-specific anatomy or disease)
/// are not rewritten: the first matching rule of the reviewed exclusion list says why. Text-only and
/// suite-agnostic: any text suite can use it.
/// </summary>
public sealed partial class SexSwapRewriter(SexSwapExclusions exclusions)
{
    private static readonly Dictionary<string, string> Pairs = BuildPairs(
        ("woman", "man"), ("women", "men"), ("girl", "boy"), ("girls", "boys"), ("female", "male"), ("females", "males"),
        ("lady", "gentleman"), ("ladies", "gentlemen"), ("mother", "father"), ("mothers", "fathers"), ("mom", "dad"),
        ("wife", "husband"), ("wives", "husbands"), ("daughter", "son"), ("daughters", "sons"), ("sister", "brother"),
        ("sisters", "brothers"), ("grandmother", "grandfather"), ("grandmothers", "grandfathers"), ("aunt", "uncle"),
        ("aunts", "uncles"), ("niece", "nephew"), ("nieces", "nephews"), ("girlfriend", "boyfriend"),
        ("she", "he"), ("herself", "himself"), ("hers", "his"), ("ms.", "mr."), ("mrs.", "mr."), ("miss", "mr."));

    private static readonly HashSet<string> Titles = new(StringComparer.OrdinalIgnoreCase) { "mr.", "mrs.", "ms." };

    /// <summary>After these words "her" is an object (him), not a possessive (his): "told her that", "gave her a".</summary>
    private static readonly HashSet<string> AfterObject = new(StringComparer.OrdinalIgnoreCase)
    {
        "to", "and", "or", "with", "that", "in", "on", "at", "for", "from", "about", "because", "since", "if", "when", "as",
        "up", "down", "out", "off", "back", "home", "again", "today", "yesterday", "now", "by", "into", "over", "after",
        "before", "while", "but", "so", "than", "the", "a", "an", "some", "any", "this", "these", "those", "is", "was",
        "carefully", "immediately", "regularly", "daily", "frequently", "closely", "alone", "well", "twice", "once",
    };

    private readonly SexSwapExclusions _exclusions = exclusions ?? throw new ArgumentNullException(nameof(exclusions));

    /// <summary>Swap <paramref name="text"/>; <paramref name="context"/> (e.g. the options) is also checked against the exclusions.</summary>
    public SexSwapResult Rewrite(string text, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_exclusions.FirstMatch(context is null ? text : text + "\n" + context) is { } rule)
        {
            return new SexSwapResult(null, rule.Id, rule.Reason, 0);
        }

        var normalised = text.Replace('\u2019', '\'');
        var replacements = 0;
        var swapped = Token().Replace(normalised, m =>
        {
            var word = m.Groups["word"].Value;
            var possessive = m.Groups["poss"].Value;
            var end = m.Index + m.Length;
            if (word.EndsWith('.') && !Titles.Contains(word))
            {
                // A full stop ends the sentence, not a title: swap the word, keep the stop.
                word = word[..^1];
                possessive = ".";
                end = m.Index + word.Length;
            }

            var replacement = Swap(word, normalised, end);
            if (replacement is null)
            {
                return m.Value;
            }

            replacements++;
            return replacement + possessive;
        });
        return replacements == 0
            ? new SexSwapResult(null, SexSwapResult.NoSexTerms, "the text names no one's sex, so there is nothing to swap", 0)
            : new SexSwapResult(swapped, null, null, replacements);
    }

    private static string? Swap(string word, string text, int after)
    {
        var lower = word.ToLowerInvariant();
        string? target = lower switch
        {
            "her" => IsObject(text, after) ? "him" : "his",
            "his" => IsPronounAtEnd(text, after) ? "hers" : "her",
            "him" => "her",
            "he" => "she",
            "himself" => "herself",
            _ => Pairs.GetValueOrDefault(lower),
        };
        return target is null ? null : MatchCase(word, target);
    }

    /// <summary>"her" followed by punctuation, the end, or a word that cannot follow a possessive is an object.</summary>
    private static bool IsObject(string text, int after)
    {
        if (text.AsSpan(after).Trim().IsEmpty)
        {
            return true;
        }

        var next = NextWord().Match(text, after);
        return next.Success && (next.Groups["punct"].Success || AfterObject.Contains(next.Groups["w"].Value));
    }

    /// <summary>"the decision is his." — a possessive pronoun standing alone becomes "hers".</summary>
    private static bool IsPronounAtEnd(string text, int after)
    {
        var next = NextWord().Match(text, after);
        return text.AsSpan(after).Trim().IsEmpty || (next.Success && next.Groups["punct"].Success);
    }

    private static string MatchCase(string source, string target)
    {
        if (source.Length > 1 && source.All(c => !char.IsLetter(c) || char.IsUpper(c)))
        {
            return target.ToUpperInvariant();
        }

        return char.IsUpper(source[0]) ? char.ToUpperInvariant(target[0]) + target[1..] : target;
    }

    private static Dictionary<string, string> BuildPairs(params (string A, string B)[] pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (a, b) in pairs)
        {
            map[a] = b;
            // "mr." goes back to "ms." (neutral), never to "miss" or "mrs.".
            map.TryAdd(b, a);
        }

        return map;
    }

    [GeneratedRegex(@"(?<![\w.])(?<word>[A-Za-z]+\.?)(?<poss>'s)?(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    [GeneratedRegex(@"\G\s*(?:(?<punct>[,.;:!?)\]])|(?<w>[A-Za-z]+))", RegexOptions.CultureInvariant)]
    private static partial Regex NextWord();
}
