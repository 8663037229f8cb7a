using System.Globalization;

namespace ValidationLab.Statistics;

/// <summary>Argument checks shared by the statistics entry points; every failure is an <see cref="ArgumentException"/>.</summary>
internal static class Guard
{
    public static void Level(double level, string name = "level")
    {
        if (!(level > 0.0 && level < 1.0))
        {
            throw new ArgumentOutOfRangeException(name, level, "Confidence level must lie strictly between 0 and 1.");
        }
    }

    public static void Probability(double p, string name)
    {
        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentOutOfRangeException(name, p, "Value must be a probability in [0, 1].");
        }
    }

    public static void NonNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "Count must be non-negative.");
        }
    }

    public static void SameLength(int a, int b, string nameA, string nameB)
    {
        if (a != b)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{nameA} has {a} elements but {nameB} has {b}; they must describe the same items."),
                nameB);
        }
    }

    public static void Finite(ReadOnlySpan<double> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{name}[{i}] is {values[i]}; all values must be finite."), name);
            }
        }
    }

    /// <summary>Formats a level such as 0.95 as "95%".</summary>
    public static string Percent(double level) =>
        (level * 100.0).ToString("0.###", CultureInfo.InvariantCulture) + "%";
}
