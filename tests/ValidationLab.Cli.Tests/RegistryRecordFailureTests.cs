using Microsoft.Data.Sqlite;
using ValidationLab.Cli.Tests.Support;

namespace ValidationLab.Cli.Tests;

/// <summary>
/// A run the registry cannot record (issue 12): the run folder is complete and untouched, one message says the run
/// was not recorded and how to record it later, and the exit code is 3 (results written, something asked failed).
/// </summary>
public sealed class RegistryRecordFailureTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_run_the_registry_refuses_keeps_its_folder_says_so_and_records_later_with_runs_record()
    {
        // Given: a store whose registry refuses every new run (as a full disk or a lost server would), made by a real run
        var store = _dir.Combine("store.db");
        var first = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--runner", "baseline", "--out", _dir.Combine("first"), "--store", store);
        Assert.True(first.ExitCode == 0, first.ToString());
        Execute(store, "CREATE TRIGGER refuse BEFORE INSERT ON registry_runs BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");

        // When
        var folder = _dir.Combine("second");
        var result = await CliRunner.RunAsync("run", "--suite", "medqa", "--data", RepoPaths.MedQaFixture, "--runner", "baseline", "--out", folder, "--store", store);

        // Then
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("was not recorded in the run registry", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("refused by the test", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("validationlab runs record", result.Stderr, StringComparison.Ordinal);
        foreach (var file in new[] { "results.json", "items.jsonl", "items.csv", "report.html", "config.yaml", "trend.json" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }

        // And once the registry accepts runs again, the folder is recorded as it is.
        Execute(store, "DROP TRIGGER refuse;");
        var record = await CliRunner.RunAsync("runs", "record", folder, "--store", store);
        Assert.True(record.ExitCode == 0, record.ToString());
        var list = await CliRunner.RunAsync("runs", "list", "--store", store, "--json");
        Assert.Equal(2, System.Text.Json.Nodes.JsonNode.Parse(list.Stdout)!.AsArray().Count);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
