namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>Point curves of a risk score (no intervals): ROC, decision curve, and the threshold for a target alert rate.</summary>
public static class RiskCurves
{
    /// <summary>
    /// The ROC curve at every distinct score, from (0, 0) at threshold +∞ down to (1, 1): scikit-learn
    /// <c>roc_curve(drop_intermediate=False)</c>. Needs both classes.
    /// </summary>
    public static IReadOnlyList<RocPoint> Roc(double[] scores, bool[] labels)
    {
        var sorted = SortedCases.Ascending(scores, labels, null);
        int positives = labels.Count(l => l), negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException("The ROC curve needs both classes.", nameof(labels));
        }

        var ones = Ones(scores.Length);
        var points = new List<RocPoint>(sorted.GroupCount + 1) { new(double.PositiveInfinity, 0.0, 0.0) };
        double tp = 0.0, fp = 0.0;
        for (int g = sorted.GroupCount - 1; g >= 0; g--)
        {
            (double wp, double wn) = sorted.GroupWeights(g, ones);
            tp += wp;
            fp += wn;
            points.Add(new RocPoint(sorted.GroupScores[g], fp / negatives, tp / positives));
        }

        return points;
    }

    /// <summary>
    /// Decision curve (Vickers &amp; Elkin 2006) over decision points: at each threshold probability p_t in
    /// (0, 1), NB_model = TP/n − FP/n · p_t/(1 − p_t) with alerts at score ≥ p_t, and NB_treat-all =
    /// prevalence − (1 − prevalence) · p_t/(1 − p_t).
    /// </summary>
    public static IReadOnlyList<NetBenefitPoint> DecisionCurve(double[] scores, bool[] labels, IReadOnlyList<double> thresholds)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(thresholds);
        Guard.SameLength(scores.Length, labels.Length, nameof(scores), nameof(labels));
        if (scores.Length == 0)
        {
            throw new ArgumentException("Need at least one decision point.", nameof(scores));
        }

        double n = scores.Length;
        double prevalence = labels.Count(l => l) / n;
        var points = new NetBenefitPoint[thresholds.Count];
        for (int k = 0; k < thresholds.Count; k++)
        {
            double pt = thresholds[k];
            if (!(pt > 0.0 && pt < 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(thresholds), pt, "Threshold probabilities must lie strictly between 0 and 1.");
            }

            double odds = pt / (1.0 - pt);
            int tp = 0, fp = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                if (scores[i] >= pt)
                {
                    if (labels[i])
                    {
                        tp++;
                    }
                    else
                    {
                        fp++;
                    }
                }
            }

            points[k] = new NetBenefitPoint(pt, (tp / n) - (fp / n * odds), prevalence - ((1.0 - prevalence) * odds));
        }

        return points;
    }

    /// <summary>
    /// The threshold that meets a target alert rate (share of decision points alerting): the lowest observed score
    /// whose alert share (score ≥ it) does not exceed <paramref name="targetRate"/>. When even the highest score
    /// alerts more often than the target (ties at the top), the highest score.
    /// </summary>
    public static double ThresholdForAlertRate(double[] scores, double targetRate)
    {
        ArgumentNullException.ThrowIfNull(scores);
        Guard.Finite(scores, nameof(scores));
        if (scores.Length == 0)
        {
            throw new ArgumentException("Need at least one score.", nameof(scores));
        }

        if (!(targetRate > 0.0 && targetRate <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(targetRate), targetRate, "The target alert rate must lie in (0, 1].");
        }

        double[] sorted = (double[])scores.Clone();
        Array.Sort(sorted);
        Array.Reverse(sorted);
        double chosen = sorted[0];
        for (int start = 0; start < sorted.Length;)
        {
            int end = start + 1;
            while (end < sorted.Length && sorted[end] == sorted[start])
            {
                end++;
            }

            // 'end' decision points have a score >= sorted[start].
            if ((double)end / sorted.Length > targetRate)
            {
                break;
            }

            chosen = sorted[start];
            start = end;
        }

        return chosen;
    }

    private static int[] Ones(int n)
    {
        int[] ones = new int[n];
        Array.Fill(ones, 1);
        return ones;
    }
}
