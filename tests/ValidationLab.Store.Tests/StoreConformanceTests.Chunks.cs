namespace ValidationLab.Store.Tests;

// Run files as chunks (schema version 5): a file larger than one chunk records and re-exports byte-identically, a
// tampered chunk is refused on export, and a version 4 store (whole files in one column) keeps its files exportable.
public abstract partial class StoreConformanceTests
{
    /// <summary>Bytes that differ from chunk to chunk (a swapped or missing chunk changes the file).</summary>
    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        new Random(20261203).NextBytes(bytes);
        return bytes;
    }

    private static string ExportFolder() => Path.Combine(Path.GetTempPath(), "vl-chunks-" + Guid.NewGuid().ToString("N"));

    [StoreFact]
    public void A_file_larger_than_one_chunk_records_from_its_path_and_exports_byte_identically()
    {
        using var chunks = RunFile.UseChunkSize(1000);
        var source = ExportFolder();
        var folder = ExportFolder();
        try
        {
            Directory.CreateDirectory(source);
            var big = Pattern(10_500);
            File.WriteAllBytes(Path.Combine(source, "items.jsonl"), big);
            var file = RunFile.FromPath("items.jsonl", Path.Combine(source, "items.jsonl"));
            Assert.Equal(10_500, file.Length);
            using (var store = Open())
            {
                store.Registry.RecordResults(Registration("r1", "gpt-x", T0, ["medqa"]) with { Files = [file, RunFile.Of("results.json", [42])] });
            }

            Assert.Equal(11L, Convert.ToInt64(Scalar("SELECT count(*) FROM registry_file_chunks WHERE run_id = 'r1' AND name = 'items.jsonl'"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1000L, Convert.ToInt64(Scalar("SELECT max(length(bytes)) FROM registry_file_chunks WHERE run_id = 'r1'"), System.Globalization.CultureInfo.InvariantCulture));

            using var other = Open();
            var stored = other.Registry.ReadRunFiles("r1");
            Assert.Equal([("items.jsonl", 10_500L), ("results.json", 1L)], stored.Select(f => (f.Name, f.Length)));
            foreach (var f in stored)
            {
                f.WriteTo(folder, overwrite: false);
            }

            Assert.Equal(big, File.ReadAllBytes(Path.Combine(folder, "items.jsonl")));
            Assert.Equal([42], File.ReadAllBytes(Path.Combine(folder, "results.json")));
            Assert.Equal([42], stored.Single(f => f.Name == "results.json").Bytes);
        }
        finally
        {
            foreach (var d in new[] { source, folder }.Where(Directory.Exists))
            {
                Directory.Delete(d, recursive: true);
            }
        }
    }

    [StoreFact]
    public void A_file_that_changed_after_it_was_hashed_is_refused_and_nothing_is_recorded()
    {
        using var chunks = RunFile.UseChunkSize(1000);
        var source = ExportFolder();
        try
        {
            Directory.CreateDirectory(source);
            var path = Path.Combine(source, "items.jsonl");
            File.WriteAllBytes(path, Pattern(3000));
            var file = RunFile.FromPath("items.jsonl", path);
            File.WriteAllBytes(path, Pattern(2999));
            using var store = Open();
            var error = Assert.Throws<InvalidDataException>(() => store.Registry.RecordResults(Registration("r1", "gpt-x", T0, ["medqa"]) with { Files = [file] }));
            Assert.Contains("items.jsonl changed after it was hashed", error.Message, StringComparison.Ordinal);
            Assert.Null(store.Registry.GetRunDetail("r1"));
            Assert.Equal(0L, Convert.ToInt64(Scalar("SELECT count(*) FROM registry_file_chunks"), System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }
    }

    [StoreFact]
    public void A_swapped_or_missing_chunk_is_refused_on_export_and_leaves_no_file()
    {
        using var chunks = RunFile.UseChunkSize(1000);
        using (var store = Open())
        {
            store.Registry.RecordResults(Registration("r1", "gpt-x", T0, ["medqa"]) with { Files = [RunFile.Of("items.jsonl", Pattern(3500))] });
        }

        // Same bytes, other order: the length still matches, the SHA-256 does not.
        Sql("UPDATE registry_file_chunks SET seq = 100 WHERE seq = 1; UPDATE registry_file_chunks SET seq = 1 WHERE seq = 2; UPDATE registry_file_chunks SET seq = 2 WHERE seq = 100");
        var folder = ExportFolder();
        try
        {
            using var other = Open();
            var swapped = Assert.Throws<InvalidDataException>(() => other.Registry.ReadRunFiles("r1").Single().WriteTo(folder, overwrite: false));
            Assert.Contains("the registry's copy of items.jsonl does not match its recorded SHA-256", swapped.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "items.jsonl")));
            Assert.Throws<InvalidDataException>(() => other.Registry.ReadRunFiles("r1").Single().Bytes);

            Sql("DELETE FROM registry_file_chunks WHERE seq = 3");
            var missing = Assert.Throws<InvalidDataException>(() => other.Registry.ReadRunFiles("r1").Single().WriteTo(folder, overwrite: false));
            Assert.Contains("3500 bytes recorded, now 3000", missing.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "items.jsonl")));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [StoreFact]
    public void A_version_4_store_is_migrated_and_its_run_and_shard_files_export_byte_identically()
    {
        var registration = Registration("r4", "gpt-x", T0, ["medqa"]);
        using (var store = Open())
        {
            store.Registry.RecordResults(registration);
            store.Registry.BeginShard(Start(0, 1, "s0"));
            store.Registry.RecordShard(ShardItems(0, 1, "s0"));
        }

        // Back to version 4 as its code left it: each file whole in the file row's bytes column, no chunk tables.
        // (Every file here is one chunk at the default size, and an empty file has none.)
        Sql("""
            UPDATE registry_files SET bytes = COALESCE((SELECT c.bytes FROM registry_file_chunks c WHERE c.run_id = registry_files.run_id AND c.name = registry_files.name AND c.seq = 0), bytes);
            UPDATE registry_shard_files SET bytes = COALESCE((SELECT c.bytes FROM registry_shard_file_chunks c WHERE c.run_id = registry_shard_files.run_id AND c.shard_index = registry_shard_files.shard_index AND c.name = registry_shard_files.name AND c.seq = 0), bytes);
            DROP TABLE registry_file_chunks;
            DROP TABLE registry_shard_file_chunks;
            """);
        SetSchemaVersion(4);
        Assert.Equal(registration.Files.Sum(f => f.Length), Convert.ToInt64(Scalar("SELECT sum(length(bytes)) FROM registry_files"), System.Globalization.CultureInfo.InvariantCulture));

        using var migrated = Open();
        Assert.Equal(StoreSchema.Current, StoredSchemaVersion());
        Assert.Equal(0L, Convert.ToInt64(Scalar("SELECT sum(length(bytes)) FROM registry_files"), System.Globalization.CultureInfo.InvariantCulture));
        var folder = ExportFolder();
        try
        {
            foreach (var file in migrated.Registry.ReadRunFiles("r4"))
            {
                file.WriteTo(folder, overwrite: false);
            }

            foreach (var file in registration.Files)
            {
                Assert.Equal(file.Bytes, File.ReadAllBytes(Path.Combine(folder, file.Name)));
            }

            Assert.Equal(
                ShardItems(0, 1, "s0").Files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (f.Name, Convert.ToHexString(f.Bytes))),
                migrated.Registry.ReadShardFiles(ShardedId(1), 0).Select(f => (f.Name, Convert.ToHexString(f.Bytes))));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
