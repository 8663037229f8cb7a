namespace ValidationLab.Cli.Tests.Support;

/// <summary>A gated copy of the candidate run and the commands the sign-off and audit tests repeat.</summary>
public sealed class SignoffSetup : IDisposable
{
    public const string Policy = """
        name: release
        required_roles: [clinical_reviewer, ml_lead, governance_chair]
        criteria:
          - name: has_items
            path: suites.medqa.counts.items
            operator: ">"
            threshold: 0
        """;

    private readonly TempDir _dir = new();

    public SignoffSetup(GateRuns runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        Run = GateRuns.Copy(runs.Candidate, _dir, "run");
        PolicyPath = _dir.Write("policy.yaml", Policy);
    }

    public string Run { get; }

    public string PolicyPath { get; }

    public string Store => _dir.Combine("store.db");

    public string Mirror => Path.Combine(Run, "signoffs.jsonl");

    public TempDir Dir => _dir;

    public Task<CliResult> Gate() => CliRunner.RunAsync("gate", "--run", Run, "--policy", PolicyPath, "--store", Store);

    public Task<CliResult> Sign(string name, string role, string decision = "approve", string comment = "Reviewed every section and the flipped items.") =>
        CliRunner.RunAsync("signoff", "--run", Run, "--as", name, "--role", role, "--decision", decision, "--comment", comment, "--store", Store);

    public Task<CliResult> Verify(params string[] more) => CliRunner.RunAsync(["audit", "verify", "--store", Store, "--run", Run, .. more]);

    /// <summary>Gates the run and has all three roles approve it; fails the test if any step fails.</summary>
    public async Task GateAndSignAllAsync()
    {
        Expect(await Gate(), 4);
        Expect(await Sign("Dr Ada Lovelace", "clinical_reviewer"), 0);
        Expect(await Sign("Grace Hopper", "ml_lead"), 0);
        Expect(await Sign("Dr Mary Seacole", "governance_chair"), 0);
    }

    /// <summary>Runs SQL on the store directly, as someone with file access could.</summary>
    public void Sql(string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Store};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public static void Expect(CliResult result, int code) => Assert.True(result.ExitCode == code, $"expected exit {code}\n{result}");

    public void Dispose() => _dir.Dispose();
}
