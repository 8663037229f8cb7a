namespace ValidationLab.Statistics;

/// <summary>
/// Single-model DeLong AUROC variance without per-case arrays: positive and negative scores are sorted
/// separately (LSD radix sort on order-preserving keys, O(n)) and merged in tie groups. Every positive in a tie group shares
/// V10 = (#neg below + ½ #neg tied)/n and every negative V01 = 1 − (#pos below + ½ #pos tied)/m (Sun &amp; Xu 2014),
/// so the variance is accumulated per group. Both component means equal the AUC.
/// </summary>
internal static class DeLongFast
{
    public static (double Auc, double S10, double S01) Compute(double[] scores, bool[] labels, int m, int n)
    {
        ulong[] pos = new ulong[m];
        ulong[] neg = new ulong[n];
        for (int i = 0, p = 0, q = 0; i < scores.Length; i++)
        {
            if (labels[i])
            {
                pos[p++] = RadixSort.Key(scores[i]);
            }
            else
            {
                neg[q++] = RadixSort.Key(scores[i]);
            }
        }

        pos = RadixSort.Sort(pos);
        neg = RadixSort.Sort(neg);
        double auc = Merge(pos, neg, double.NaN, out _, out _) / m;
        Merge(pos, neg, auc, out double ss10, out double ss01);
        return (auc, ss10 / (m - 1), ss01 / (n - 1));
    }

    /// <summary>Returns Σ V10; when <paramref name="mean"/> is a number also the squared deviations of V10 and V01 from it.</summary>
    private static double Merge(ulong[] pos, ulong[] neg, double mean, out double ss10, out double ss01)
    {
        int m = pos.Length, n = neg.Length;
        int i = 0, j = 0;
        double sum10 = 0.0;
        ss10 = 0.0;
        ss01 = 0.0;
        bool deviations = !double.IsNaN(mean);
        while (i < m || j < n)
        {
            ulong v = i < m && (j >= n || pos[i] <= neg[j]) ? pos[i] : neg[j];
            int i0 = i, j0 = j;
            while (i < m && pos[i] == v)
            {
                i++;
            }

            while (j < n && neg[j] == v)
            {
                j++;
            }

            int gp = i - i0, gn = j - j0;
            double v10 = (j0 + (0.5 * gn)) / n;
            sum10 += gp * v10;
            if (deviations)
            {
                double v01 = 1.0 - ((i0 + (0.5 * gp)) / m);
                ss10 += gp * (v10 - mean) * (v10 - mean);
                ss01 += gn * (v01 - mean) * (v01 - mean);
            }
        }

        return sum10;
    }
}
