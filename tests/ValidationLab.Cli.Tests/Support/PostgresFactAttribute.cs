namespace ValidationLab.Cli.Tests.Support;

/// <summary>
/// A test that needs a PostgreSQL server, named by the connection string in VALIDATIONLAB_TEST_POSTGRES (.ci/run
/// starts one on a loopback port). Outside CI without it the test is skipped with the reason shown; under CI (env
/// var CI set) it runs and fails, because a CI run must never pass by skipping its PostgreSQL checks.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "VALIDATIONLAB_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = $"No PostgreSQL server: set {Variable} to a connection string (e.g. postgres://user:pw@127.0.0.1:5432/db) to run the registry flow on PostgreSQL.";
        }
    }
}
