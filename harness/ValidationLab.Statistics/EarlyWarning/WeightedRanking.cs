namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>
/// AUROC and average precision with real-valued case weights, as <see cref="WeightedStatistic"/>s for the cluster
/// bootstrap: the weight of case i in a resample is <c>resampleWeight[i] · baseWeight[i]</c>. Base weights 1 give
/// decision-point weighting; base weights 1/n_i (n_i = decision points of patient i) give patient weighting, where
/// every patient counts once however long the stay. Values equal scikit-learn <c>roc_auc_score</c> and
/// <c>average_precision_score</c> with <c>sample_weight</c> = the combined weights. One sort up front; each
/// resample is one O(n) pass over tie groups.
/// </summary>
public static class WeightedRanking
{
    /// <summary>
    /// Weighted AUROC: Σ_pos Σ_neg w_p·w_n·[s_p &gt; s_n] + ½ ties, over (Σ w_pos)(Σ w_neg). NaN when a resample has
    /// only one class.
    /// </summary>
    public static WeightedStatistic Auroc(double[] scores, bool[] labels, double[]? baseWeights = null)
    {
        var sorted = SortedCases.Ascending(scores, labels, baseWeights);
        return weights =>
        {
            double numerator = 0.0, cumulativeNegatives = 0.0, positives = 0.0;
            for (int g = 0; g < sorted.GroupCount; g++)
            {
                (double wp, double wn) = sorted.GroupWeights(g, weights);
                numerator += wp * (cumulativeNegatives + (0.5 * wn));
                cumulativeNegatives += wn;
                positives += wp;
            }

            return positives <= 0.0 || cumulativeNegatives <= 0.0 ? double.NaN : numerator / (positives * cumulativeNegatives);
        };
    }

    /// <summary>
    /// Weighted average precision: Σ_k (R_k − R_{k−1})·P_k over distinct score thresholds in decreasing order, with
    /// weighted true and false positives (scikit-learn's definition). NaN when a resample has no positive weight.
    /// </summary>
    public static WeightedStatistic AveragePrecision(double[] scores, bool[] labels, double[]? baseWeights = null)
    {
        var sorted = SortedCases.Ascending(scores, labels, baseWeights);
        return weights =>
        {
            double totalPositives = 0.0;
            for (int g = 0; g < sorted.GroupCount; g++)
            {
                totalPositives += sorted.GroupWeights(g, weights).Positive;
            }

            if (totalPositives <= 0.0)
            {
                return double.NaN;
            }

            double ap = 0.0, truePositives = 0.0, predicted = 0.0, previousRecall = 0.0;
            for (int g = sorted.GroupCount - 1; g >= 0; g--)
            {
                (double wp, double wn) = sorted.GroupWeights(g, weights);
                truePositives += wp;
                predicted += wp + wn;
                if (wp > 0.0)
                {
                    double recall = truePositives / totalPositives;
                    ap += (recall - previousRecall) * (truePositives / predicted);
                    previousRecall = recall;
                }
            }

            return ap;
        };
    }
}
