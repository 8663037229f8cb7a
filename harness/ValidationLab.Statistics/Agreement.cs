namespace ValidationLab.Statistics;

/// <summary>
/// Inter-rater agreement: Cohen's kappa (two raters; unweighted, linear or quadratic) with the
/// Fleiss–Cohen–Everitt (1969) asymptotic SE, as statsmodels <c>cohens_kappa</c>; Fleiss' kappa for many raters.
/// </summary>
public static class Agreement
{
    /// <summary>
    /// Cohen's kappa from two raters' labels on the same items. Categories are the sorted distinct labels of
    /// both raters (as scikit-learn <c>cohen_kappa_score</c>); weights use their rank order.
    /// </summary>
    public static KappaResult CohenKappa(int[] rater1, int[] rater2, KappaWeighting weighting = KappaWeighting.None, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(rater1);
        ArgumentNullException.ThrowIfNull(rater2);
        Guard.SameLength(rater1.Length, rater2.Length, nameof(rater1), nameof(rater2));
        int[] categories = rater1.Concat(rater2).Distinct().Order().ToArray();
        var index = categories.Select((c, i) => (c, i)).ToDictionary(t => t.c, t => t.i);
        int[,] table = new int[categories.Length, categories.Length];
        for (int i = 0; i < rater1.Length; i++)
        {
            table[index[rater1[i]], index[rater2[i]]]++;
        }

        return CohenKappa(table, weighting, level);
    }

    /// <summary>
    /// Cohen's kappa from a k×k contingency table (rows rater 1, columns rater 2, categories in order).
    /// Throws <see cref="ArgumentException"/> when kappa is undefined (empty table, or chance agreement 1,
    /// e.g. both raters always use one category).
    /// </summary>
    public static KappaResult CohenKappa(int[,] table, KappaWeighting weighting = KappaWeighting.None, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(table);
        Guard.Level(level);
        int k = table.GetLength(0);
        if (k != table.GetLength(1) || k < 2)
        {
            throw new ArgumentException("Kappa needs a square table with at least 2 categories.", nameof(table));
        }

        double total = 0.0;
        foreach (int cell in table)
        {
            Guard.NonNegative(cell, nameof(table));
            total += cell;
        }

        if (total == 0.0)
        {
            throw new ArgumentException("Kappa needs at least one rated item.", nameof(table));
        }

        // Agreement weights w = 1 − disagreement weight (identity for unweighted).
        double[,] w = new double[k, k];
        double[] row = new double[k], col = new double[k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double d = Math.Abs(i - j) / (double)(k - 1);
                w[i, j] = weighting switch
                {
                    KappaWeighting.Linear => 1.0 - d,
                    KappaWeighting.Quadratic => 1.0 - (d * d),
                    _ => i == j ? 1.0 : 0.0,
                };
                row[i] += table[i, j] / total;
                col[j] += table[i, j] / total;
            }
        }

        double observed = 0.0, expected = 0.0;
        double[] wRow = new double[k], wCol = new double[k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                observed += w[i, j] * table[i, j] / total;
                expected += w[i, j] * row[i] * col[j];
                wRow[i] += col[j] * w[i, j];
                wCol[j] += row[i] * w[i, j];
            }
        }

        if (expected >= 1.0 - 1e-15)
        {
            throw new ArgumentException("Kappa is undefined: chance agreement is 1 (the raters use a single category).", nameof(table));
        }

        double kappa = (observed - expected) / (1.0 - expected);
        double termA = 0.0;
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double t = w[i, j] - ((wCol[j] + wRow[i]) * (1.0 - kappa));
                termA += table[i, j] / total * t * t;
            }
        }

        double c = kappa - (expected * (1.0 - kappa));
        double variance = Math.Max(0.0, (termA - (c * c)) / ((1.0 - expected) * (1.0 - expected) * total));
        double se = Math.Sqrt(variance);
        double z = Distributions.TwoSidedZ(level);
        string kind = weighting switch
        {
            KappaWeighting.Linear => "linear-weighted",
            KappaWeighting.Quadratic => "quadratic-weighted",
            _ => "unweighted",
        };
        var estimate = new Estimate(kappa, kappa - (z * se), kappa + (z * se), (int)total, $"Cohen's kappa ({kind}), Wald {Guard.Percent(level)} CI with Fleiss-Cohen-Everitt asymptotic SE");
        return new KappaResult(estimate, se, k);
    }

    /// <summary>
    /// Fleiss' (1971) kappa for many raters. <paramref name="counts"/>[subject, category] is the number of
    /// raters who put the subject in that category; every subject must have the same number of raters (≥ 2).
    /// Throws <see cref="ArgumentException"/> when undefined (chance agreement 1).
    /// </summary>
    public static double FleissKappa(int[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int subjects = counts.GetLength(0), categories = counts.GetLength(1);
        if (subjects == 0 || categories < 2)
        {
            throw new ArgumentException("Fleiss' kappa needs at least one subject and two categories.", nameof(counts));
        }

        int raters = -1;
        double[] categoryTotals = new double[categories];
        double meanAgreement = 0.0;
        for (int s = 0; s < subjects; s++)
        {
            int rowTotal = 0;
            double pairs = 0.0;
            for (int c = 0; c < categories; c++)
            {
                int x = counts[s, c];
                Guard.NonNegative(x, nameof(counts));
                rowTotal += x;
                pairs += (double)x * (x - 1);
                categoryTotals[c] += x;
            }

            if (raters == -1)
            {
                raters = rowTotal;
            }
            else if (rowTotal != raters)
            {
                throw new ArgumentException($"Subject {s} has {rowTotal} ratings but subject 0 has {raters}; Fleiss' kappa needs the same number of raters per subject.", nameof(counts));
            }

            meanAgreement += pairs;
        }

        if (raters < 2)
        {
            throw new ArgumentException("Fleiss' kappa needs at least two raters per subject.", nameof(counts));
        }

        double n = (double)subjects * raters;
        meanAgreement /= subjects * (double)raters * (raters - 1);
        double chance = categoryTotals.Sum(t => (t / n) * (t / n));
        if (chance >= 1.0 - 1e-15)
        {
            throw new ArgumentException("Fleiss' kappa is undefined: all ratings fall in one category.", nameof(counts));
        }

        return (meanAgreement - chance) / (1.0 - chance);
    }
}
