using ValidationLab.Results;

namespace ValidationLab.Suites;

/// <summary>
/// Optional for a suite: aggregate many subsets of one run's items cheaply. The slicing stage aggregates every
/// group of every slice family with the suite's own definitions; through this it reads the items once and then
/// aggregates each group from what it read, instead of walking the items again for every family. A suite without
/// it is sliced through <see cref="ISuite.Aggregate"/> on each group, with the same results.
/// </summary>
public interface ISubsetAggregator
{
    /// <summary>
    /// Read the run's items once. <c>Prepare(results).Aggregate(indices)</c> must equal
    /// <c>Aggregate(indices.Select(i =&gt; results[i]).ToList())</c> for any ascending indices.
    /// </summary>
    IPreparedAggregation Prepare(IReadOnlyList<ItemResult> results);
}

/// <summary>A run's items as a suite read them for aggregation; safe to aggregate from several threads at once.</summary>
public interface IPreparedAggregation
{
    /// <summary>The suite's result over the items at these positions (ascending) of the prepared list.</summary>
    SuiteResult Aggregate(IReadOnlyList<int> indices);
}
