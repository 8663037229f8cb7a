using ValidationLab.Results;

namespace ValidationLab.Reports.Html.Sections;

/// <summary>One suite as the report shows it; <see cref="Result"/> is null when only items were recorded.</summary>
internal sealed record SuiteView(string Name, string Anchor, SuiteResult? Result, IReadOnlyList<ItemResult> Items)
{
    /// <summary>The metric quoted as the suite's headline: accuracy when there is one, else the first by name.</summary>
    public string? HeadlineMetric =>
        Result is null || Result.Metrics.Count == 0
            ? null
            : Result.Metrics.ContainsKey("accuracy") ? "accuracy" : Result.Metrics.Keys.Order(StringComparer.Ordinal).First();
}
