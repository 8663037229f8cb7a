using ValidationLab.Results;
using ValidationLab.Suites;

namespace ValidationLab.Analysis.Slicing;

/// <summary>One suite's scored items and its overall result, as the pipeline has them after aggregation.</summary>
public sealed record SliceInput(ISuite Suite, IReadOnlyList<ItemResult> Items, SuiteResult Overall);
