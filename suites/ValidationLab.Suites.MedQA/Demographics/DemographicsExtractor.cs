using System.Globalization;
using System.Text.RegularExpressions;

namespace ValidationLab.Suites.MedQA.Demographics;

/// <summary>
/// Reads the patient's age and sex from a MedQA vignette ("A 45-year-old woman", "a 3-week-old boy") and says
/// "unknown" rather than guessing. Rules, in order:
/// <list type="number">
/// <item>The patient is the first person introduced with an age ("A 45-year-old ..."), unless that person brings
/// their child ("... brings her 3-year-old son"), who is then the patient.</item>
/// <item>A possessive moves the patient: "A 67-year-old man's wife" is the wife: female, age unknown.</item>
/// <item>Sex comes from the noun or adjective of that phrase (woman, boy, male infant, primigravida). A neutral noun
/// (patient, infant, executive) takes its sex from pronouns only when every he/his/him/she/her of the first two
/// sentences agrees; otherwise sex is unknown.</item>
/// <item>Months, weeks and days of age are 0 years; "newborn" and "neonate" without a number are 0 years.</item>
/// </list>
/// </summary>
public static partial class DemographicsExtractor
{
    private static readonly Dictionary<string, string> SexOfNoun = new(StringComparer.OrdinalIgnoreCase)
    {
        ["man"] = PatientDemographics.Male, ["men"] = PatientDemographics.Male, ["boy"] = PatientDemographics.Male,
        ["male"] = PatientDemographics.Male, ["gentleman"] = PatientDemographics.Male, ["father"] = PatientDemographics.Male,
        ["husband"] = PatientDemographics.Male, ["son"] = PatientDemographics.Male, ["brother"] = PatientDemographics.Male,
        ["grandfather"] = PatientDemographics.Male, ["uncle"] = PatientDemographics.Male, ["nephew"] = PatientDemographics.Male,
        ["boyfriend"] = PatientDemographics.Male,
        ["woman"] = PatientDemographics.Female, ["women"] = PatientDemographics.Female, ["girl"] = PatientDemographics.Female,
        ["female"] = PatientDemographics.Female, ["lady"] = PatientDemographics.Female, ["mother"] = PatientDemographics.Female,
        ["wife"] = PatientDemographics.Female, ["daughter"] = PatientDemographics.Female, ["sister"] = PatientDemographics.Female,
        ["grandmother"] = PatientDemographics.Female, ["aunt"] = PatientDemographics.Female, ["niece"] = PatientDemographics.Female,
        ["girlfriend"] = PatientDemographics.Female, ["primigravida"] = PatientDemographics.Female, ["multigravida"] = PatientDemographics.Female,
        ["primigravid"] = PatientDemographics.Female, ["multigravid"] = PatientDemographics.Female, ["nulligravid"] = PatientDemographics.Female,
        ["primipara"] = PatientDemographics.Female, ["multipara"] = PatientDemographics.Female, ["nullipara"] = PatientDemographics.Female,
        ["nulliparous"] = PatientDemographics.Female, ["primiparous"] = PatientDemographics.Female, ["multiparous"] = PatientDemographics.Female,
        ["pregnant"] = PatientDemographics.Female,
    };

    /// <summary>Nouns that end the patient phrase without a sex: pronouns decide, or it stays unknown.</summary>
    private static readonly HashSet<string> NeutralNouns = new(StringComparer.OrdinalIgnoreCase)
    {
        "patient", "infant", "newborn", "neonate", "baby", "child", "toddler", "adolescent", "teenager", "teen", "person",
        "individual", "student", "adult", "twin", "preschooler", "kid", "youth",
    };

    private static readonly HashSet<string> Relatives = new(StringComparer.OrdinalIgnoreCase)
    {
        "wife", "husband", "son", "daughter", "mother", "father", "brother", "sister", "grandmother", "grandfather",
        "boyfriend", "girlfriend", "partner", "child", "baby", "infant", "friend", "spouse", "newborn",
    };

    public static PatientDemographics Extract(string vignette)
    {
        ArgumentNullException.ThrowIfNull(vignette);
        var text = vignette.Replace('\u2019', '\'').Replace('\u2010', '-').Replace('\u2013', '-');
        var match = AgedPerson().Match(text);
        if (!match.Success)
        {
            var newborn = Newborn().Match(text);
            if (newborn.Success)
            {
                return Describe(text, newborn.Index, newborn.Index, 0, newborn.Value);
            }

            // "A man is brought in by the police", "An elderly woman presents": the sex is stated, the age is not.
            var unaged = UnagedPerson().Match(text);
            return unaged.Success && unaged.Index < SentenceEnd(text, 0)
                ? new PatientDemographics(SexOfNoun[unaged.Groups["noun"].Value], null, unaged.Value)
                : PatientDemographics.None;
        }

        // "... brings her 3-year-old son": the child is the patient.
        var brings = BringsChild().Match(text, match.Index + match.Length);
        if (brings.Success && brings.Index < SentenceEnd(text, match.Index))
        {
            var child = AgedPerson().Match(text, brings.Index);
            match = child.Success ? child : match;
        }

        var age = Years(match.Groups["num"].Value, match.Groups["unit"].Value);
        return Describe(text, match.Index, match.Index + match.Length, age, match.Value);
    }

    /// <summary>Reads the words after the age phrase up to the person's noun, and decides who the patient is.</summary>
    private static PatientDemographics Describe(string text, int start, int after, double? age, string phrase)
    {
        var words = Word().Matches(text, after).Take(MaxPhraseWords).ToList();
        string? sex = null;
        for (var i = 0; i < words.Count; i++)
        {
            var raw = words[i].Value;
            var possessive = raw.EndsWith("'s", StringComparison.Ordinal);
            var word = possessive ? raw[..^2] : raw;
            var evidence = text[start..(words[i].Index + words[i].Length)];
            if (StopWords.Contains(word) || word.Length == 0 || !char.IsLetterOrDigit(word[0]))
            {
                break;
            }

            var known = SexOfNoun.TryGetValue(word, out var s);
            if (known && word is not ("male" or "female" or "pregnant"))
            {
                sex = s;
            }
            else if (known)
            {
                // An adjective ("male infant", "pregnant woman"): remember it and read on to the noun.
                sex ??= s;
                if (!possessive)
                {
                    continue;
                }
            }
            else if (!NeutralNouns.Contains(word) && !possessive)
            {
                continue;
            }

            if (possessive)
            {
                // "A 67-year-old man's wife": the patient is the one possessed; only their sex is known.
                var relative = i + 1 < words.Count ? words[i + 1].Value : "";
                return Relatives.Contains(relative)
                    ? new PatientDemographics(SexOfNoun.GetValueOrDefault(relative, PatientDemographics.Unknown), null, $"{evidence} {relative}")
                    : new PatientDemographics(PatientDemographics.Unknown, null, $"{evidence} (someone else's; not read)");
            }

            return sex is not null
                ? new PatientDemographics(sex, age, evidence)
                : new PatientDemographics(PronounSex(text), age, evidence + " (sex from pronouns, only when they all agree)");
        }

        return sex is not null
            ? new PatientDemographics(sex, age, phrase)
            : new PatientDemographics(PronounSex(text), age, phrase + " (sex from pronouns, only when they all agree)");
    }

    /// <summary>Sex from he/his/him or she/her in the first two sentences, only when they all agree.</summary>
    private static string PronounSex(string text)
    {
        var end = SentenceEnd(text, 0);
        end = end < text.Length ? SentenceEnd(text, end + 1) : end;
        var head = text[..Math.Min(text.Length, end + 1)];
        var male = MalePronoun().Count(head);
        var female = FemalePronoun().Count(head);
        return male > 0 && female == 0 ? PatientDemographics.Male
            : female > 0 && male == 0 ? PatientDemographics.Female
            : PatientDemographics.Unknown;
    }

    private static double? Years(string number, string unit)
    {
        if (!int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            n = WordNumbers.TryGetValue(number, out var w) ? w : -1;
        }

        if (n < 0)
        {
            return null;
        }

        return unit.StartsWith("year", StringComparison.OrdinalIgnoreCase) ? n : 0;
    }

    private static int SentenceEnd(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            // A period followed by a space and a capital ends a sentence ("3.5 mg" and "Dr. X" mostly do not).
            if (text[i] is '.' or '?' or '!' && (i + 1 == text.Length || (i + 2 < text.Length && text[i + 1] == ' ' && char.IsUpper(text[i + 2]))))
            {
                return i;
            }
        }

        return text.Length;
    }

    private static readonly Dictionary<string, int> WordNumbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9,
        ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16,
        ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19, ["twenty"] = 20,
    };

    /// <summary>How far after the age the person's noun may come ("A 30-year-old previously healthy African American woman").</summary>
    private const int MaxPhraseWords = 6;

    /// <summary>Words that end the patient phrase: the noun has not come and will not.</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "with", "who", "whose", "is", "was", "has", "had", "presents", "comes", "came", "of", "at", "in", "to", "and",
        "because", "for", "from", "on", "after", "that", "which", "brought", "visits", "arrives", "undergoes", "being",
    };

    private const string Number = @"(?<num>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)";
    private const string Unit = @"(?<unit>year|month|week|day)s?";

    [GeneratedRegex(@"\b" + Number + @"[\s-]" + Unit + @"[\s-]old\b-?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AgedPerson();

    [GeneratedRegex(@"\bbrings\s+(?:her|his|their)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BringsChild();

    [GeneratedRegex(@"\b(?:a|an|the)\s+(?=(?:male\s+|female\s+)?(?:newborn|neonate)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Newborn();

    [GeneratedRegex(@"^\s*(?:A|An)\s+(?:[a-z\-]+\s+){0,3}?(?<noun>man|woman|boy|girl|gentleman|lady)\b", RegexOptions.CultureInvariant)]
    private static partial Regex UnagedPerson();

    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9'\-]*|[,.;:!?()]", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    [GeneratedRegex(@"\b(?:he|his|him|himself)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MalePronoun();

    [GeneratedRegex(@"\b(?:she|her|hers|herself)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FemalePronoun();
}
