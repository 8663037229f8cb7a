using System.Collections;
using ValidationLab.Cli.Registration;
using ValidationLab.Cli.Tests.Support;
using ValidationLab.Comparison;
using ValidationLab.Results;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// Recording a run reads its items.jsonl as the registry inserts the rows, one item at a time: a run of a few hundred
/// thousand items (gigabytes of items.jsonl) used to be collected as strings first.
/// </summary>
public sealed class RegistryItemStreamingTests
{
    [Fact]
    public async Task The_registration_reads_no_item_until_inserted_and_then_one_item_per_row_in_order()
    {
        using var dir = new TempDir();
        var folder = dir.Combine("run");
        var result = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--runner", "baseline", "--out", folder, "--no-registry");
        Assert.True(result.ExitCode == 0, result.ToString());
        var loaded = LoadedRun.Load(folder);
        var counting = new CountingItems(loaded.Items);

        var registration = RunRegistrations.FromFolder(loaded with { Items = counting });
        Assert.Equal(0, counting.Reads); // nothing collected up front
        Assert.Equal(loaded.Items.Count, registration.Items.Count);
        Assert.Equal(0, counting.Reads);

        var lines = File.ReadLines(Path.Combine(folder, "items.jsonl")).Where(l => l.Length > 0).ToList();
        var position = 0;
        foreach (var row in registration.Items)
        {
            // Row k is made when asked for, from item k alone: the rows are not built ahead and held.
            Assert.Equal(position + 1, counting.Reads);
            Assert.Equal(lines[position], row.Json);
            Assert.Equal(loaded.Items[position].ItemId, row.ItemId);
            position++;
        }

        Assert.Equal(lines.Count, position);
        Assert.True(position > 1);
    }

    /// <summary>The run's items, counting the reads (a registry collecting the rows first would read them all at once).</summary>
    private sealed class CountingItems(IReadOnlyList<ItemResult> items) : IReadOnlyList<ItemResult>
    {
        public int Reads { get; private set; }

        public int Count => items.Count;

        public ItemResult this[int index]
        {
            get
            {
                Reads++;
                return items[index];
            }
        }

        public IEnumerator<ItemResult> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
