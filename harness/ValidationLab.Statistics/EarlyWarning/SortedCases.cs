namespace ValidationLab.Statistics.EarlyWarning;

/// <summary>Cases sorted once by score with their tie groups, so that weighted ranking statistics are O(n) per resample.</summary>
internal sealed class SortedCases
{
    private readonly int[] _order;
    private readonly int[] _groupStart;
    private readonly bool[] _sortedLabels;
    private readonly double[] _sortedBase;

    private SortedCases(int[] order, int[] groupStart, bool[] sortedLabels, double[] sortedBase, double[] groupScores)
    {
        _order = order;
        _groupStart = groupStart;
        _sortedLabels = sortedLabels;
        _sortedBase = sortedBase;
        GroupScores = groupScores;
    }

    /// <summary>Number of distinct scores.</summary>
    public int GroupCount => _groupStart.Length - 1;

    /// <summary>The distinct scores, ascending.</summary>
    public double[] GroupScores { get; }

    public static SortedCases Ascending(double[] scores, bool[] labels, double[]? baseWeights)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        Guard.SameLength(scores.Length, labels.Length, nameof(scores), nameof(labels));
        Guard.Finite(scores, nameof(scores));
        if (baseWeights is not null)
        {
            Guard.SameLength(scores.Length, baseWeights.Length, nameof(scores), nameof(baseWeights));
            Guard.Finite(baseWeights, nameof(baseWeights));
            if (baseWeights.Any(w => w < 0.0))
            {
                throw new ArgumentException("Case weights must be non-negative.", nameof(baseWeights));
            }
        }

        int n = scores.Length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        double[] keys = (double[])scores.Clone();
        Array.Sort(keys, order);
        var starts = new List<int>();
        var groupScores = new List<double>();
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            starts.Add(start);
            groupScores.Add(keys[start]);
            start = end;
        }

        starts.Add(n);
        bool[] sortedLabels = new bool[n];
        double[] sortedBase = new double[n];
        for (int k = 0; k < n; k++)
        {
            sortedLabels[k] = labels[order[k]];
            sortedBase[k] = baseWeights is null ? 1.0 : baseWeights[order[k]];
        }

        return new SortedCases(order, [.. starts], sortedLabels, sortedBase, [.. groupScores]);
    }

    /// <summary>Total positive and negative weight in tie group <paramref name="g"/> under resample weights.</summary>
    public (double Positive, double Negative) GroupWeights(int g, ReadOnlySpan<int> weights)
    {
        double wp = 0.0, wn = 0.0;
        for (int k = _groupStart[g]; k < _groupStart[g + 1]; k++)
        {
            double w = weights[_order[k]] * _sortedBase[k];
            if (_sortedLabels[k])
            {
                wp += w;
            }
            else
            {
                wn += w;
            }
        }

        return (wp, wn);
    }
}
