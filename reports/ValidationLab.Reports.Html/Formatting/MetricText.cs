using System.Globalization;
using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Formatting;

/// <summary>
/// How numbers read in the report. Every metric is written with its interval, the method that produced it and n,
/// e.g. "87.8% (Wilson 95% CI 85.9–89.5%, n = 1273)", so no number can be quoted without its uncertainty.
/// Everything is invariant-culture with fixed decimals so the file is byte-for-byte reproducible.
/// </summary>
internal static class MetricText
{
    /// <summary>Shown instead of a value when there was nothing to measure; never "NaN".</summary>
    public const string NoItems = "no items";

    // Metrics that are proportions read best as percentages; anything else (AUROC, Brier, ECE, counts) as a number.
    private static readonly string[] ProportionWords =
        ["accuracy", "rate", "recall", "precision", "sensitivity", "specificity", "ppv", "npv", "coverage", "agreement"];

    public static bool IsProportion(string metricName)
    {
        foreach (string word in ProportionWords)
        {
            if (metricName.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the metric has a value a reader can use (finite and resting on at least one item).</summary>
    public static bool HasValue(MetricValue metric) => metric.N > 0 && metric.Value is { } v && double.IsFinite(v);

    /// <summary>"accuracy" → "Accuracy", "macro_f1" → "Macro f1".</summary>
    public static string Label(string name)
    {
        string spaced = name.Replace('_', ' ').Replace('.', ' ').Trim();
        return spaced.Length == 0 ? name : char.ToUpperInvariant(spaced[0]) + spaced[1..];
    }

    /// <summary>The point value alone: "87.8%", "0.812", "412"; "—" for an absent metric, or "no items".</summary>
    public static string Value(string name, MetricValue metric) =>
        HasValue(metric) ? Number(name, metric.Value!.Value, withUnit: true) : metric.IsAbsent ? Absent : NoItems;

    /// <summary>Shown in place of an absent metric's value; the reason goes in the uncertainty cell.</summary>
    public const string Absent = "—";

    /// <summary>The parenthetical that must accompany every value: "(Wilson 95% CI 85.9–89.5%, n = 1273)".</summary>
    public static string Uncertainty(string name, MetricValue metric)
    {
        string n = "n = " + Count(metric.N);
        if (!HasValue(metric))
        {
            return metric.AbsentReason is { Length: > 0 } why ? "(" + why + ", " + n + ")" : "(" + n + ")";
        }

        string method = metric.Method.Trim();
        if (metric.CiLow is { } low && metric.CiHigh is { } high && double.IsFinite(low) && double.IsFinite(high))
        {
            string interval = Number(name, low, withUnit: false) + "–" + Number(name, high, withUnit: true);
            string label = method.Length == 0 ? "95% CI" : method;
            return "(" + label + " " + interval + ", " + n + ")";
        }

        // No interval: a count, or a metric whose producer could not compute one. Say so instead of implying precision.
        string reason = method.Length == 0 ? "no interval" : method + ", no interval";
        return "(" + reason + ", " + n + ")";
    }

    /// <summary>The whole reading: "87.8% (Wilson 95% CI 85.9–89.5%, n = 1273)".</summary>
    public static string Full(string name, MetricValue metric) => Value(name, metric) + " " + Uncertainty(name, metric);

    /// <summary>A number formatted as the metric's kind; percentages carry the % sign only when asked.</summary>
    public static string Number(string name, double value, bool withUnit)
    {
        if (!double.IsFinite(value))
        {
            return "not available";
        }

        if (IsProportion(name))
        {
            string percent = (value * 100).ToString("F1", CultureInfo.InvariantCulture);
            return withUnit ? percent + "%" : percent;
        }

        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            return value.ToString("F0", CultureInfo.InvariantCulture);
        }

        return value.ToString("F3", CultureInfo.InvariantCulture);
    }

    /// <summary>Whole numbers without thousands separators, matching how n is quoted in papers ("n = 1273").</summary>
    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Milliseconds as "1234 ms" (one decimal under 10 ms, where it matters).</summary>
    public static string Milliseconds(double ms)
    {
        if (!double.IsFinite(ms))
        {
            return "not available";
        }

        return ms < 10
            ? ms.ToString("F1", CultureInfo.InvariantCulture) + " ms"
            : ms.ToString("F0", CultureInfo.InvariantCulture) + " ms";
    }

    /// <summary>A plain decimal with fixed places, for accounting figures.</summary>
    public static string Decimal(double value, int places) =>
        double.IsFinite(value) ? value.ToString("F" + places.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "not available";

    /// <summary>UTC timestamp as "2025-01-05 14:03:22 UTC".</summary>
    public static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A duration a person reads at a glance: "2 h 05 min", "4 min 12 s", "38.2 s".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "not available";
        }

        if (span.TotalHours >= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min");
        }

        if (span.TotalMinutes >= 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds:00} s");
        }

        return span.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s";
    }
}
