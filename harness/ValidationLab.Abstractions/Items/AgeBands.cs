using System.Globalization;

namespace ValidationLab.Items;

/// <summary>
/// The one age banding of ValidationLab: suites write 'age_band' strata with it and the slicing stage re-bands an
/// item's 'age' with it when a run declares its own cut points, so the labels always agree.
/// </summary>
public static class AgeBands
{
    /// <summary>Cut points of the default bands 0-17, 18-44, 45-64, 65+.</summary>
    public static IReadOnlyList<int> Default { get; } = [18, 45, 65];

    /// <summary>Years -> "lower-upper" or "lower+" for ascending cut points such as [18, 45, 65].</summary>
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
