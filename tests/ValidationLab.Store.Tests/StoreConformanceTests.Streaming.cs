using System.Collections;

namespace ValidationLab.Store.Tests;

// Streaming what a run records: the item rows go into the registry as they are read (a run's items.jsonl can be
// gigabytes), so recording never holds a large run whole.
public abstract partial class StoreConformanceTests
{
    [StoreFact]
    public void Recording_a_run_reads_its_item_rows_once_in_order_and_keeps_them_byte_identical()
    {
        var listed = Registration("streamed", "gpt-x", T0, ["medqa", "risk"], items: 1_500);
        var rows = new OnDemandRows(listed.Items.ToList());
        using (var store = Open())
        {
            store.Registry.RecordResults(listed with { Items = rows });
        }

        // One pass, row by row (never indexed: the collection is not a list), and every row back as it was given.
        Assert.Equal(1, rows.Enumerations);
        Assert.Equal(1_500, rows.Produced);
        using var other = Open();
        Assert.Equal(listed.Items, other.Registry.GetRunDetail("streamed")!.Items);
        Assert.Equal(1_500, other.Registry.ListRuns(new RunQuery { Model = "gpt-x" }).Single(r => r.Facts.RunId == "streamed").ItemCount);
    }

    /// <summary>Rows made as they are enumerated, counting the passes and the rows made.</summary>
    private sealed class OnDemandRows(IReadOnlyList<ItemRow> source) : IReadOnlyCollection<ItemRow>
    {
        public int Enumerations { get; private set; }

        public int Produced { get; private set; }

        public int Count => source.Count;

        public IEnumerator<ItemRow> GetEnumerator()
        {
            Enumerations++;
            foreach (var row in source)
            {
                Produced++;
                yield return row with { Json = new string(row.Json.AsSpan()) }; // a fresh string per row, as a file read gives
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
