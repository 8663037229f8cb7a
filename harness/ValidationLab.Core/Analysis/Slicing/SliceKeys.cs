using System.Globalization;

namespace ValidationLab.Analysis.Slicing;

/// <summary>
/// Reads an item's value for a slice attribute: its own stratum, regrouped by a declared grouping, with
/// 'age_band' recomputed from the numeric 'age' stratum when the config declares age_bands.
/// </summary>
public sealed class SliceKeys(SliceSettings settings)
{
    public const string Age = "age";
    public const string AgeBand = "age_band";
    public const string Unknown = "unknown";

    /// <summary>The raw value before any grouping, or null when the item lacks the attribute.</summary>
    public string? Raw(IReadOnlyDictionary<string, string> strata, string attribute)
    {
        ArgumentNullException.ThrowIfNull(strata);
        if (attribute == AgeBand && settings.AgeBands is { } cuts && strata.TryGetValue(Age, out var age))
        {
            return double.TryParse(age, NumberStyles.Float, CultureInfo.InvariantCulture, out var years) ? Band(years, cuts) : Unknown;
        }

        return strata.TryGetValue(attribute, out var value) ? value : null;
    }

    /// <summary>The value after grouping; null when the item lacks the attribute or the grouping does not map it.</summary>
    public string? Value(IReadOnlyDictionary<string, string> strata, string attribute)
    {
        var raw = Raw(strata, attribute);
        if (raw is null)
        {
            return null;
        }

        return settings.Groupings.TryGetValue(attribute, out var grouping)
            ? grouping.GroupOf.TryGetValue(raw, out var group) ? group : null
            : raw;
    }

    /// <summary>Age in years -> band label for cut points [18, 45, 65]: "0-17", "18-44", "45-64", "65+".</summary>
    public static string Band(double years, IReadOnlyList<int> cuts)
    {
        ArgumentNullException.ThrowIfNull(cuts);
        var lower = 0;
        foreach (var cut in cuts)
        {
            if (years < cut)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{lower}-{cut - 1}");
            }

            lower = cut;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{lower}+");
    }
}
