using System.Buffers;

namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>
/// Decision points grouped by distinct (logit, outcome): a logistic fit on frequency weights only needs the total
/// weight of each group, so each resample costs one O(n) pass plus Newton steps over the groups. Risk scores from
/// published scales take few values (NEWS2/20 has 21), which makes the fit nearly free; continuous scores cost what
/// an ungrouped fit costs.
/// </summary>
internal sealed class LogitGroups
{
    private readonly int[] _groupOf;

    private LogitGroups(int[] groupOf, double[] x, bool[] y)
    {
        _groupOf = groupOf;
        X = x;
        Y = y;
    }

    public double[] X { get; }

    public bool[] Y { get; }

    public delegate double GroupFit(double[] x, bool[] y, ReadOnlySpan<double> weights);

    public static LogitGroups From(double[] logits, bool[] outcomes)
    {
        var index = new Dictionary<(double, bool), int>();
        int[] groupOf = new int[logits.Length];
        var x = new List<double>();
        var y = new List<bool>();
        for (int i = 0; i < logits.Length; i++)
        {
            var key = (logits[i], outcomes[i]);
            if (!index.TryGetValue(key, out int g))
            {
                g = index.Count;
                index.Add(key, g);
                x.Add(logits[i]);
                y.Add(outcomes[i]);
            }

            groupOf[i] = g;
        }

        return new LogitGroups(groupOf, [.. x], [.. y]);
    }

    public double Fit(ReadOnlySpan<int> weights, GroupFit fit)
    {
        double[] totals = ArrayPool<double>.Shared.Rent(X.Length);
        try
        {
            Array.Clear(totals, 0, X.Length);
            for (int i = 0; i < _groupOf.Length; i++)
            {
                totals[_groupOf[i]] += weights[i];
            }

            return fit(X, Y, totals.AsSpan(0, X.Length));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(totals);
        }
    }
}
