using System.Globalization;
using System.Text.RegularExpressions;

namespace ValidationLab.Suites.Longitudinal.Rendering;

/// <summary>
/// Reads a probability from a model's text answer. A "Probability: x" line (the format the question asks for)
/// wins; otherwise every number in the text that reads as a probability ("0.23", ".23", "1", "23%", "23 percent")
/// must agree. Bare numbers above 1 without a percent sign, several different candidates, or none, are refused:
/// the item is counted as unparseable, never guessed.
/// </summary>
public static partial class ProbabilityParser
{
    public static bool TryParse(string? text, out double probability, out string reason)
    {
        probability = double.NaN;
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = "empty answer";
            return false;
        }

        var declared = DeclaredPattern().Matches(text);
        if (declared.Count > 0)
        {
            var values = declared.Select(m => Value(m.Groups["num"].Value, m.Groups["pct"].Success)).Distinct().ToList();
            if (values.Count == 1 && values[0] is >= 0 and <= 1)
            {
                probability = values[0];
                reason = $"read {Show(probability)} from '{declared[^1].Value.Trim()}'";
                return true;
            }

            reason = values.Count > 1 ? "several different 'Probability:' values" : $"'Probability:' value {Show(values[0])} is outside [0, 1]";
            return false;
        }

        var candidates = new List<double>();
        foreach (Match m in NumberPattern().Matches(text))
        {
            var pct = m.Groups["pct"].Success;
            var v = Value(m.Groups["num"].Value, pct);
            if (v is >= 0 and <= 1)
            {
                candidates.Add(v);
            }
        }

        var distinct = candidates.Distinct().ToList();
        if (distinct.Count == 1)
        {
            probability = distinct[0];
            reason = $"read {Show(probability)}, the only probability in the answer";
            return true;
        }

        reason = distinct.Count == 0 ? "no probability (a number in [0, 1] or a percentage) in the answer" : $"ambiguous: {distinct.Count} different probabilities ({string.Join(", ", distinct.Select(Show))})";
        return false;
    }

    private static double Value(string number, bool percent)
    {
        var v = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        return percent ? v / 100 : v;
    }

    private static string Show(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"probability\s*(?:is|=|:)\s*(?<num>\d*\.?\d+)\s*(?<pct>%|percent)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DeclaredPattern();

    // A number not glued to letters, digits or a decimal point, with an optional percent sign.
    [GeneratedRegex(@"(?<![\w.])(?<num>\d*\.?\d+)(?!\w|\.\d)\s*(?<pct>%|percent\b)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
