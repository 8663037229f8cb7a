namespace ValidationLab.Statistics;

/// <summary>
/// One-call paired comparison of two models' per-item correctness on the same items.
/// </summary>
public static class PairedBinary
{
    /// <summary>
    /// Compares model A (<paramref name="first"/>) with model B (<paramref name="second"/>) on the same items
    /// (index i is the same item in both). Returns accuracies with Wilson CIs, the difference A − B with
    /// Newcombe's paired CI (method 10), discordant counts and McNemar exact / mid-p p-values.
    /// Empty input gives N = 0 with the documented n = 0 values (no NaN).
    /// </summary>
    public static PairedComparison Compare(ReadOnlySpan<bool> first, ReadOnlySpan<bool> second, double level = 0.95)
    {
        PairedCounts counts = PairedCounts.FromOutcomes(first, second);
        return Compare(counts, level);
    }

    /// <summary>Same as <see cref="Compare(ReadOnlySpan{bool}, ReadOnlySpan{bool}, double)"/> from the 2×2 counts.</summary>
    public static PairedComparison Compare(PairedCounts counts, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(counts);
        counts.Validate();
        Guard.Level(level);
        int n = counts.N;
        Estimate first = Proportions.Wilson(counts.BothCorrect + counts.OnlyFirstCorrect, n, level);
        Estimate second = Proportions.Wilson(counts.BothCorrect + counts.OnlySecondCorrect, n, level);
        Estimate difference = PairedDifference.Newcombe(counts, level);
        McNemarResult exact = McNemar.Exact(counts.OnlyFirstCorrect, counts.OnlySecondCorrect);
        McNemarResult midP = McNemar.MidP(counts.OnlyFirstCorrect, counts.OnlySecondCorrect);
        return new PairedComparison(
            n,
            first,
            second,
            difference,
            counts.OnlyFirstCorrect,
            counts.OnlySecondCorrect,
            exact.PValue,
            midP.PValue,
            $"Wilson accuracies; {difference.Method}; McNemar exact and mid-p");
    }
}
