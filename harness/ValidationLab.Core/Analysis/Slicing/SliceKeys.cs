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
            return double.TryParse(age, NumberStyles.Float, CultureInfo.InvariantCulture, out var years) ? Items.AgeBands.Band(years, cuts) : Unknown;
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
}
