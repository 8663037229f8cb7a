namespace ValidationLab.Statistics;

/// <summary>
/// Per-case DeLong structural components from one O(n log n) sort (Sun &amp; Xu 2014): for a positive case
/// V10 = (#negatives below + ½ #negatives tied)/n; for a negative V01 = 1 − (#positives below + ½ #tied)/m.
/// Arrays are in original case order within each class, so two models on the same cases align.
/// </summary>
internal sealed class RankedCases
{
    private RankedCases(double[] v10, double[] v01, double auc)
    {
        V10 = v10;
        V01 = v01;
        Auc = auc;
    }

    public double[] V10 { get; }

    public double[] V01 { get; }

    public double Auc { get; }

    public static RankedCases Compute(double[] scores, bool[] labels)
    {
        int count = scores.Length;
        int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        double[] keys = (double[])scores.Clone();
        Array.Sort(keys, order);

        // Position of each case within its class, in original order.
        int[] classIndex = new int[count];
        int m = 0, n = 0;
        for (int i = 0; i < count; i++)
        {
            classIndex[i] = labels[i] ? m++ : n++;
        }

        double[] v10 = new double[m];
        double[] v01 = new double[n];
        long positivesBelow = 0, negativesBelow = 0;
        double sumV10 = 0.0;
        for (int start = 0; start < count;)
        {
            int end = start + 1;
            while (end < count && keys[end] == keys[start])
            {
                end++;
            }

            int groupPositives = 0;
            for (int k = start; k < end; k++)
            {
                if (labels[order[k]])
                {
                    groupPositives++;
                }
            }

            int groupNegatives = end - start - groupPositives;
            double positiveValue = (negativesBelow + (0.5 * groupNegatives)) / n;
            double negativeValue = 1.0 - ((positivesBelow + (0.5 * groupPositives)) / m);
            for (int k = start; k < end; k++)
            {
                int caseIndex = order[k];
                if (labels[caseIndex])
                {
                    v10[classIndex[caseIndex]] = positiveValue;
                }
                else
                {
                    v01[classIndex[caseIndex]] = negativeValue;
                }
            }

            sumV10 += groupPositives * positiveValue;
            positivesBelow += groupPositives;
            negativesBelow += groupNegatives;
            start = end;
        }

        return new RankedCases(v10, v01, sumV10 / m);
    }

    /// <summary>Sample covariance (denominator length − 1) of two aligned component arrays.</summary>
    public static double Covariance(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sum = 0.0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += (x[i] - mx) * (y[i] - my);
        }

        return sum / (x.Length - 1);
    }
}
