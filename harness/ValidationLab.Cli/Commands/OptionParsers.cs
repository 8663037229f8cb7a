using System.CommandLine.Parsing;
using System.Globalization;

namespace ValidationLab.Cli.Commands;

/// <summary>
/// Number parsers for options, so that a mistyped value is reported in the user's words ("--seed: 'x' is not a
/// whole number") instead of System.CommandLine's message, which names the .NET type (System.Nullable`1[...]).
/// </summary>
internal static class OptionParsers
{
    public static int? WholeNumber(ArgumentResult result)
    {
        var text = Single(result);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        result.AddError($"{OptionName(result)}: '{text}' is not a whole number");
        return null;
    }

    public static double? Number(ArgumentResult result)
    {
        var text = Single(result);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        result.AddError($"{OptionName(result)}: '{text}' is not a number (use a dot for decimals, e.g. 0.02)");
        return null;
    }

    private static string? Single(ArgumentResult result) => result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;

    private static string OptionName(ArgumentResult result) =>
        (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
}
