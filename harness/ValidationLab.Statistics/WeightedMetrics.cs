namespace ValidationLab.Statistics;

/// <summary>
/// Ready-made <see cref="WeightedStatistic"/>s for the bootstrap. Each captures its data once (and, for
/// AUROC, the sort order) so that every resample costs O(items) with no allocation.
/// </summary>
public static class WeightedMetrics
{
    /// <summary>Weighted mean of <paramref name="values"/>; NaN (dropped resample) if all weights are zero.</summary>
    public static WeightedStatistic Mean(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Guard.Finite(values, nameof(values));
        return weights =>
        {
            double sum = 0.0;
            long total = 0;
            for (int i = 0; i < values.Length; i++)
            {
                sum += weights[i] * values[i];
                total += weights[i];
            }

            return total == 0 ? double.NaN : sum / total;
        };
    }

    /// <summary>Weighted proportion of true values (e.g. accuracy from per-item correctness).</summary>
    public static WeightedStatistic Proportion(bool[] outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return weights =>
        {
            long hits = 0, total = 0;
            for (int i = 0; i < outcomes.Length; i++)
            {
                total += weights[i];
                if (outcomes[i])
                {
                    hits += weights[i];
                }
            }

            return total == 0 ? double.NaN : (double)hits / total;
        };
    }

    /// <summary>
    /// Weighted AUROC (Mann–Whitney with ties counted ½). Sorts once (O(n log n)); each resample is one
    /// O(n) pass over tie groups. NaN (dropped resample) when a resample has only one class.
    /// </summary>
    public static WeightedStatistic Auroc(double[] scores, bool[] labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        Guard.SameLength(scores.Length, labels.Length, nameof(scores), nameof(labels));
        Guard.Finite(scores, nameof(scores));
        int n = scores.Length;
        int[] order = new int[n];
        double[] keys = (double[])scores.Clone();
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        // groupEnd[k] = exclusive end of the tie group starting at sorted position k (only read at group starts).
        int[] groupEnd = new int[n];
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            groupEnd[start] = end;
            start = end;
        }

        bool[] sortedLabels = new bool[n];
        for (int i = 0; i < n; i++)
        {
            sortedLabels[i] = labels[order[i]];
        }

        return weights =>
        {
            double numerator = 0.0;
            long cumulativeNegatives = 0, positives = 0;
            for (int start = 0; start < n;)
            {
                int end = groupEnd[start];
                long wp = 0, wn = 0;
                for (int k = start; k < end; k++)
                {
                    int w = weights[order[k]];
                    if (sortedLabels[k])
                    {
                        wp += w;
                    }
                    else
                    {
                        wn += w;
                    }
                }

                numerator += wp * (cumulativeNegatives + (0.5 * wn));
                cumulativeNegatives += wn;
                positives += wp;
                start = end;
            }

            return positives == 0 || cumulativeNegatives == 0 ? double.NaN : numerator / ((double)positives * cumulativeNegatives);
        };
    }
}
