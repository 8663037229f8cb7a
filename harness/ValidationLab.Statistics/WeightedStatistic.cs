namespace ValidationLab.Statistics;

/// <summary>
/// A statistic evaluated on a resample expressed as integer frequency weights: <c>weights[i]</c> is how many
/// times item i was drawn (0, 1, 2, …). The original sample is all ones. Weights keep memory at O(items)
/// whatever the number of resamples, and let cluster resamples reuse the same item arrays.
/// Must be thread-safe (it is called concurrently) and may return <see cref="double.NaN"/> for a resample on
/// which it is undefined (e.g. AUROC with one class only); such resamples are dropped and counted.
/// </summary>
/// <param name="weights">Frequency weight per item, same length and order as the data.</param>
public delegate double WeightedStatistic(ReadOnlySpan<int> weights);
