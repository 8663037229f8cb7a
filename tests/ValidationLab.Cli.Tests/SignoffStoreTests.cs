using Microsoft.Data.Sqlite;
using ValidationLab.Cli.Tests.Support;
using ValidationLab.Store;

namespace ValidationLab.Cli.Tests;

/// <summary>The run store's sign-off table: schema migration and append order.</summary>
public sealed class SignoffStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static object? Scalar(string path, string sql)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    [Fact]
    public void Should_Add_The_Signoff_Table_When_Opening_A_Version_1_Store()
    {
        // Given: a store as version 1 left it (no sign-off table)
        var path = _dir.Combine("store.db");
        RunStore.Open(path).Dispose();
        Scalar(path, "DROP TRIGGER signoffs_no_update; DROP TRIGGER signoffs_no_delete; DROP TABLE signoffs; PRAGMA user_version = 1;");
        Assert.Equal(0L, Scalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'signoffs'"));

        // When
        using (var store = RunStore.Open(path))
        {
            store.AppendSignoff("run-1", rows => Row("run-1", rows.Count, "genesis"));
        }

        // Then
        Assert.Equal(2L, Scalar(path, "PRAGMA user_version"));
        Assert.Equal(1L, Scalar(path, "SELECT count(*) FROM signoffs"));
    }

    [Fact]
    public void Should_Hand_Each_Append_The_Runs_Rows_So_Far()
    {
        // Given
        using var store = RunStore.Open(_dir.Combine("store.db"));

        // When
        store.AppendSignoff("a", rows => Row("a", rows.Count, rows.Count == 0 ? "genesis" : rows[^1].RecordHash));
        store.AppendSignoff("b", rows => Row("b", rows.Count, rows.Count == 0 ? "genesis" : rows[^1].RecordHash));
        store.AppendSignoff("a", rows => Row("a", rows.Count, rows.Count == 0 ? "genesis" : rows[^1].RecordHash));

        // Then
        var a = store.ReadSignoffs("a");
        Assert.Equal([0L, 1L], a.Select(r => r.Seq));
        Assert.Equal(["genesis", "hash-a-0"], a.Select(r => r.PrevHash));
        Assert.Equal(["a", "b"], store.SignedRuns());
    }

    [Fact]
    public void Should_Commit_Nothing_When_The_Mirror_Cannot_Be_Written()
    {
        // Given
        using var store = RunStore.Open(_dir.Combine("store.db"));

        // When
        Assert.Throws<IOException>(() => store.AppendSignoff("a", rows => Row("a", rows.Count, "genesis"), _ => throw new IOException("disk full")));

        // Then
        Assert.Empty(store.ReadSignoffs("a"));
    }

    private static SignoffRow Row(string run, long seq, string prev) =>
        new(run, seq, "2026-12-03T10:00:00Z", "Dr Ada Lovelace", "clinical_reviewer", "approve", "meaning", "comment",
            null, "results", null, "gate", "policy", prev, $"hash-{run}-{seq}");
}
