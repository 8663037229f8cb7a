using System.Globalization;

namespace ValidationLab.Statistics;

/// <summary>
/// Discrimination metrics for a binary outcome (label true = positive/event) and a continuous score
/// (higher = more likely positive): AUROC with DeLong CI, paired DeLong test, average precision and
/// threshold metrics. AUROC counts ties as ½ (Mann–Whitney) and runs in O(n log n).
/// </summary>
public static class Discrimination
{
    /// <summary>
    /// AUROC with DeLong variance and normal CI (as R pROC <c>ci.auc(method="delong")</c> with direction "&lt;").
    /// Uses the fast algorithm of Sun &amp; Xu (2014): one sort, O(n log n).
    /// Requires at least 2 positives and 2 negatives (else <see cref="ArgumentException"/>). All-tied scores
    /// give AUC 0.5 with variance 0 and a zero-width interval.
    /// </summary>
    public static AurocResult Auroc(double[] scores, bool[] labels, double level = 0.95)
    {
        (int m, int n) = Check(scores, labels, minimumPerClass: 2);
        Guard.Level(level);
        (double auc, double s10, double s01) = DeLongFast.Compute(scores, labels, m, n);
        double variance = Math.Max(0.0, (s10 / m) + (s01 / n));
        double half = Distributions.TwoSidedZ(level) * Math.Sqrt(variance);
        var estimate = new Estimate(
            auc,
            Math.Max(0.0, auc - half),
            Math.Min(1.0, auc + half),
            m + n,
            $"DeLong {Guard.Percent(level)} CI");
        return new AurocResult(estimate, variance, m, n);
    }

    /// <summary>
    /// Paired DeLong test of AUC(A) − AUC(B) for two models scored on the same cases (as pROC
    /// <c>roc.test(method="delong", paired=TRUE)</c>). Returns z, two-sided p and a DeLong CI for the difference.
    /// If the difference and its variance are both 0 the models are indistinguishable: z = 0, p = 1.
    /// </summary>
    public static PairedAurocResult PairedDeLong(double[] scoresFirst, double[] scoresSecond, bool[] labels, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(scoresSecond);
        (int m, int n) = Check(scoresFirst, labels, minimumPerClass: 2);
        Guard.SameLength(scoresFirst.Length, scoresSecond.Length, nameof(scoresFirst), nameof(scoresSecond));
        Guard.Finite(scoresSecond, nameof(scoresSecond));
        Guard.Level(level);
        RankedCases a = RankedCases.Compute(scoresFirst, labels);
        RankedCases b = RankedCases.Compute(scoresSecond, labels);
        double varA = (RankedCases.Covariance(a.V10, a.V10) / m) + (RankedCases.Covariance(a.V01, a.V01) / n);
        double varB = (RankedCases.Covariance(b.V10, b.V10) / m) + (RankedCases.Covariance(b.V01, b.V01) / n);
        double cov = (RankedCases.Covariance(a.V10, b.V10) / m) + (RankedCases.Covariance(a.V01, b.V01) / n);
        double variance = Math.Max(0.0, varA + varB - (2.0 * cov));
        double difference = a.Auc - b.Auc;
        double z, p;
        if (variance <= 0.0)
        {
            if (Math.Abs(difference) > 1e-15)
            {
                throw new ArgumentException("DeLong variance of the AUC difference is zero while the AUCs differ; the test is undefined for these data.");
            }

            z = 0.0;
            p = 1.0;
        }
        else
        {
            z = difference / Math.Sqrt(variance);
            p = Math.Min(1.0, 2.0 * Distributions.NormalSurvival(Math.Abs(z)));
        }

        double half = Distributions.TwoSidedZ(level) * Math.Sqrt(variance);
        double correlation = varA > 0.0 && varB > 0.0 ? cov / Math.Sqrt(varA * varB) : 0.0;
        var estimate = new Estimate(
            difference,
            Math.Max(-1.0, difference - half),
            Math.Min(1.0, difference + half),
            m + n,
            $"DeLong paired {Guard.Percent(level)} CI");
        return new PairedAurocResult(a.Auc, b.Auc, estimate, z, p, correlation, "DeLong paired test");
    }

    /// <summary>
    /// Average precision, the step-wise area under the precision–recall curve, exactly as scikit-learn
    /// <c>average_precision_score</c>: Σ (R_k − R_{k−1})·P_k over distinct score thresholds in decreasing order.
    /// Requires at least one positive.
    /// </summary>
    public static double AveragePrecision(double[] scores, bool[] labels)
    {
        (int positives, _) = Check(scores, labels, minimumPerClass: 0);
        if (positives == 0)
        {
            throw new ArgumentException("Average precision needs at least one positive case.", nameof(labels));
        }

        int count = scores.Length;
        int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        double[] keys = new double[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = -scores[i];
        }

        Array.Sort(keys, order);
        double ap = 0.0;
        long truePositives = 0, predicted = 0, previousTruePositives = 0;
        for (int start = 0; start < count;)
        {
            int end = start + 1;
            while (end < count && keys[end] == keys[start])
            {
                end++;
            }

            for (int k = start; k < end; k++)
            {
                if (labels[order[k]])
                {
                    truePositives++;
                }
            }

            predicted += end - start;
            if (truePositives > previousTruePositives)
            {
                ap += (double)(truePositives - previousTruePositives) / positives * ((double)truePositives / predicted);
                previousTruePositives = truePositives;
            }

            start = end;
        }

        return ap;
    }

    /// <summary>
    /// Sensitivity, specificity, PPV and NPV at <paramref name="threshold"/> (positive prediction when
    /// score ≥ threshold), each with a Wilson CI at <paramref name="level"/>.
    /// </summary>
    public static ThresholdMetrics AtThreshold(double[] scores, bool[] labels, double threshold, double level = 0.95)
    {
        Check(scores, labels, minimumPerClass: 0);
        Guard.Level(level);
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            bool predicted = scores[i] >= threshold;
            if (labels[i])
            {
                if (predicted)
                {
                    tp++;
                }
                else
                {
                    fn++;
                }
            }
            else if (predicted)
            {
                fp++;
            }
            else
            {
                tn++;
            }
        }

        return new ThresholdMetrics(
            threshold,
            tp,
            fp,
            tn,
            fn,
            Proportions.Wilson(tp, tp + fn, level),
            Proportions.Wilson(tn, tn + fp, level),
            Proportions.Wilson(tp, tp + fp, level),
            Proportions.Wilson(tn, tn + fn, level));
    }

    private static (int Positives, int Negatives) Check(double[] scores, bool[] labels, int minimumPerClass)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        Guard.SameLength(scores.Length, labels.Length, nameof(scores), nameof(labels));
        Guard.Finite(scores, nameof(scores));
        int positives = 0;
        foreach (bool label in labels)
        {
            if (label)
            {
                positives++;
            }
        }

        int negatives = labels.Length - positives;
        if (positives < minimumPerClass || negatives < minimumPerClass)
        {
            throw new ArgumentException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Need at least {minimumPerClass} positive and {minimumPerClass} negative cases; got {positives} positive and {negatives} negative."),
                nameof(labels));
        }

        return (positives, negatives);
    }
}
