namespace ValidationLab.Statistics;

/// <summary>
/// Adjusted p-values for families of tests (as statsmodels <c>multipletests</c>), returned in input order
/// and capped at 1. Holm controls the family-wise error rate; Benjamini–Hochberg controls the false discovery rate.
/// </summary>
public static class MultipleComparisons
{
    /// <summary>Holm (1979) step-down adjusted p-values.</summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        int[] order = SortedOrder(pValues);
        int m = order.Length;
        double[] adjusted = new double[m];
        double running = 0.0;
        for (int rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1.0, (m - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }

        return adjusted;
    }

    /// <summary>Benjamini–Hochberg (1995) step-up adjusted p-values (q-values).</summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        int[] order = SortedOrder(pValues);
        int m = order.Length;
        double[] adjusted = new double[m];
        double running = 1.0;
        for (int rank = m - 1; rank >= 0; rank--)
        {
            running = Math.Min(running, pValues[order[rank]] * m / (rank + 1));
            adjusted[order[rank]] = running;
        }

        return adjusted;
    }

    private static int[] SortedOrder(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        for (int i = 0; i < pValues.Count; i++)
        {
            Guard.Probability(pValues[i], nameof(pValues));
        }

        return Enumerable.Range(0, pValues.Count).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
    }
}
