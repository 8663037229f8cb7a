namespace ValidationLab.Store;

/// <summary>
/// One item of a registered run (table <c>registry_items</c>): the columns a query filters or aggregates on, and the
/// item's line of items.jsonl (<paramref name="Json"/>, without its newline) for everything else.
/// </summary>
/// <param name="Status">"scored", "unparseable" or "errored" (as in items.jsonl).</param>
public sealed record ItemRow(string Suite, string ItemId, string Status, bool? Correct, double? Score, bool? Label, string? Cluster, string Json);
