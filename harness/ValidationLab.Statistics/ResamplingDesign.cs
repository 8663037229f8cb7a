namespace ValidationLab.Statistics;

/// <summary>
/// How resamples are drawn: independent items, items within strata, or whole clusters (e.g. patients).
/// Also defines the jackknife units used for the BCa acceleration.
/// </summary>
internal sealed class ResamplingDesign
{
    /// <summary>Above this many units the BCa jackknife deletes groups of units (unit index mod groups) instead of single units.</summary>
    internal const int MaxJackknifeGroups = 500;

    private readonly int[]? _unitOfItem;      // cluster index per item (cluster design)
    private readonly int[][]? _strata;        // item indices per stratum (stratified design)

    private ResamplingDesign(string name, int items, int units, int[]? unitOfItem, int[][]? strata)
    {
        Name = name;
        Items = items;
        Units = units;
        _unitOfItem = unitOfItem;
        _strata = strata;
    }

    public string Name { get; }

    public int Items { get; }

    public int Units { get; }

    public static ResamplingDesign Iid(int n) => new(string.Empty, n, n, null, null);

    public static ResamplingDesign Stratified(ReadOnlySpan<int> strata)
    {
        var groups = new Dictionary<int, List<int>>();
        for (int i = 0; i < strata.Length; i++)
        {
            if (!groups.TryGetValue(strata[i], out List<int>? list))
            {
                list = [];
                groups.Add(strata[i], list);
            }

            list.Add(i);
        }

        int[][] arrays = groups.OrderBy(g => g.Key).Select(g => g.Value.ToArray()).ToArray();
        return new ResamplingDesign("Stratified ", strata.Length, strata.Length, null, arrays);
    }

    public static ResamplingDesign Cluster(ReadOnlySpan<int> clusterIds)
    {
        var dense = new Dictionary<int, int>();
        int[] unitOfItem = new int[clusterIds.Length];
        for (int i = 0; i < clusterIds.Length; i++)
        {
            if (!dense.TryGetValue(clusterIds[i], out int index))
            {
                index = dense.Count;
                dense.Add(clusterIds[i], index);
            }

            unitOfItem[i] = index;
        }

        return new ResamplingDesign("Cluster ", clusterIds.Length, dense.Count, unitOfItem, null);
    }

    /// <summary>Fills <paramref name="weights"/> with one resample; <paramref name="unitCounts"/> is scratch of length <see cref="Units"/>.</summary>
    public void Draw(SeededRandom rng, Span<int> weights, Span<int> unitCounts)
    {
        if (_unitOfItem is not null)
        {
            unitCounts.Clear();
            for (int j = 0; j < Units; j++)
            {
                unitCounts[rng.NextInt(Units)]++;
            }

            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = unitCounts[_unitOfItem[i]];
            }

            return;
        }

        weights.Clear();
        if (_strata is not null)
        {
            foreach (int[] stratum in _strata)
            {
                for (int j = 0; j < stratum.Length; j++)
                {
                    weights[stratum[rng.NextInt(stratum.Length)]]++;
                }
            }

            return;
        }

        for (int j = 0; j < Items; j++)
        {
            weights[rng.NextInt(Items)]++;
        }
    }

    /// <summary>Number of jackknife replicates: one per unit, or <see cref="MaxJackknifeGroups"/> groups of units.</summary>
    public int JackknifeCount => Math.Min(Units, MaxJackknifeGroups);

    /// <summary>Weights of jackknife replicate <paramref name="k"/>: all ones except the deleted unit (group) at zero.</summary>
    public void JackknifeWeights(int k, Span<int> weights)
    {
        int groups = JackknifeCount;
        for (int i = 0; i < weights.Length; i++)
        {
            int unit = _unitOfItem is null ? i : _unitOfItem[i];
            weights[i] = unit % groups == k ? 0 : 1;
        }
    }
}
