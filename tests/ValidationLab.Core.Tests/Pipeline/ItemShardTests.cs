using ValidationLab.Configuration;
using ValidationLab.Errors;
using ValidationLab.Items;
using ValidationLab.Pipeline;

namespace ValidationLab.Core.Tests.Pipeline;

/// <summary>The shard partition of issue 12: disjoint, covering, independent of file order, composed after --limit.</summary>
public sealed class ItemShardTests
{
    private static List<EvalItem> Items(int count) =>
        Enumerable.Range(0, count).Select(i => new EvalItem { Id = $"q{i}", Input = $"question {i}", Payload = i }).ToList();

    private static RunContext Shard(int index, int count, RunLimit? limit = null) => new() { Shard = new RunShard(index, count), Limit = limit, Seed = 3 };

    public sealed class IndexOf
    {
        // Pinned, so that shards run by one harness version merge with shards run by another. Computed with
        // python3: int.from_bytes(hashlib.sha256((suite + "\n" + id).encode()).digest()[:8], "big") % count
        [Theory]
        [InlineData("medqa", "0", 4, 1)]
        [InlineData("medqa", "17", 4, 3)]
        [InlineData("medqa", "42", 3, 2)]
        [InlineData("longitudinal", "p001@2130-01-01T08:00:00Z", 7, 6)]
        [InlineData("medqa", "é", 5, 2)]
        public void Should_Match_The_Documented_Hash(string suite, string id, int count, int expected) =>
            Assert.Equal(expected, ItemShard.IndexOf(suite, id, count));

        [Fact]
        public void Should_Put_The_Same_Id_Of_Two_Suites_In_Independent_Shards()
        {
            var ids = Enumerable.Range(0, 200).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Contains(ids, id => ItemShard.IndexOf("medqa", id, 4) != ItemShard.IndexOf("longitudinal", id, 4));
        }
    }

    public sealed class Apply
    {
        [Fact]
        public void Should_Partition_The_Items_Into_Disjoint_Covering_Shards_In_File_Order()
        {
            // Given
            var items = Items(500);

            // When
            var shards = Enumerable.Range(0, 4).Select(i => ItemShard.Apply(items, "medqa", Shard(i, 4))).ToList();

            // Then
            Assert.Equal(items.Count, shards.Sum(s => s.Count));
            Assert.Equal(items.Select(i => i.Id).Order(StringComparer.Ordinal), shards.SelectMany(s => s).Select(i => i.Id).Order(StringComparer.Ordinal));
            Assert.All(shards, s => Assert.InRange(s.Count, 90, 160));
            Assert.All(shards, s => Assert.Equal(s.OrderBy(i => (int)i.Payload), s));
        }

        [Fact]
        public void Should_Keep_Every_Item_In_Its_Shard_When_The_File_Is_Reordered()
        {
            var items = Items(300);
            var shuffled = items.OrderBy(i => RequestsHash(i.Id)).ToList();

            var a = ItemShard.Apply(items, "medqa", Shard(2, 3)).Select(i => i.Id).Order(StringComparer.Ordinal);
            var b = ItemShard.Apply(shuffled, "medqa", Shard(2, 3)).Select(i => i.Id).Order(StringComparer.Ordinal);

            Assert.Equal(a, b);
        }

        [Fact]
        public void Should_Shard_Exactly_The_Limited_Items()
        {
            // Given: a seeded sample of 60 of 400 items
            var items = Items(400);
            var limit = new RunLimit(60, Sampled: true);
            var limited = ItemLimit.Apply(items, "medqa", Shard(0, 1, limit)).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);

            // When: the shards of that limited run, limit first as the pipeline does
            var sharded = Enumerable.Range(0, 3)
                .SelectMany(i => ItemShard.Apply(ItemLimit.Apply(items, "medqa", Shard(i, 3, limit)), "medqa", Shard(i, 3, limit)))
                .Select(i => i.Id).ToList();

            // Then
            Assert.Equal(60, sharded.Count);
            Assert.True(limited.SetEquals(sharded));
        }

        [Fact]
        public void Should_Return_Every_Item_Without_A_Shard() =>
            Assert.Equal(300, ItemShard.Apply(Items(300), "medqa", RunContext.Default).Count);

        private static string RequestsHash(string id) => ValidationLab.Requests.RequestHasher.Sha256Hex("shuffle:" + id);
    }

    public sealed class Parse
    {
        [Theory]
        [InlineData("0/1", 0, 1)]
        [InlineData("3/4", 3, 4)]
        [InlineData(" 12/100 ", 12, 100)]
        public void Should_Read_Index_And_Count(string text, int index, int count) =>
            Assert.Equal(new RunShard(index, count), ItemShard.Parse(text, "command line", "--shard"));

        [Theory]
        [InlineData("3/2", "not below the count 2")]
        [InlineData("4/4", "not below the count 4")]
        [InlineData("0/0", "must be 1 or more")]
        [InlineData("a/b", "is not a shard")]
        [InlineData("-1/4", "is not a shard")]
        [InlineData("+1/4", "is not a shard")]
        [InlineData("1", "is not a shard")]
        [InlineData("1/2/3", "is not a shard")]
        [InlineData("", "is not a shard")]
        [InlineData("99999999999/2", "is not a shard")]
        public void Should_Refuse_Anything_Else_Naming_The_Field(string text, string why)
        {
            var ex = Assert.Throws<InputException>(() => ItemShard.Parse(text, "run.yaml", "shard", 4));
            Assert.Contains(why, ex.Message, StringComparison.Ordinal);
            Assert.Equal(("run.yaml", 4L, "shard"), (ex.File, ex.Line, ex.Field));
        }
    }
}
