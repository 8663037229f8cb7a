using Xunit.Abstractions;
using Xunit.Sdk;

namespace ValidationLab.Testing;

/// <summary>
/// The PostgreSQL server the store tests use: its connection string comes from the environment variable
/// <see cref="Variable"/> (set by <c>eval "$(bash .ci/postgres.sh start)"</c>; .ci/run does it). Absent: the tests
/// are skipped with a visible reason outside CI and fail when CI is set, like the real-data tests.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "VALIDATIONLAB_TEST_POSTGRES";

    /// <summary>The phrase every "server absent" skip reason starts with.</summary>
    public const string MissingMarker = "[postgres missing]";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;

    /// <summary>The skip reason: none when the server is configured or CI is set.</summary>
    public static string? Skip => ConnectionString is null && !RealData.UnderCi ? SkipReason : null;

    public const string SkipReason =
        $"{MissingMarker} {Variable} is unset: start a server with `eval \"$(bash .ci/postgres.sh start)\"`; skipped because CI is unset (with CI set this test fails)";

    public const string FailureMessage =
        $"{MissingMarker} {Variable} is unset and CI is set: PostgreSQL tests may not be skipped in CI (.ci/run starts the server with .ci/postgres.sh)";

    /// <summary>Under CI without a server: the failing test case that says so.</summary>
    public static IXunitTestCase? FailingUnderCi(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod) =>
        ConnectionString is null && RealData.UnderCi
            ? new ExecutionErrorTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, FailureMessage)
            : null;
}

/// <summary>A fact that needs the PostgreSQL test server (<see cref="TestPostgres"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("ValidationLab.Testing.PostgresFactDiscoverer", TestAssembly.Name)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = TestPostgres.Skip;
}

/// <summary>The theory counterpart of <see cref="PostgresFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("ValidationLab.Testing.PostgresTheoryDiscoverer", TestAssembly.Name)]
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute() => Skip = TestPostgres.Skip;
}

public sealed class PostgresFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        TestPostgres.FailingUnderCi(_sink, discoveryOptions, testMethod) is { } failing ? [failing] : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class PostgresTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        TestPostgres.FailingUnderCi(_sink, discoveryOptions, testMethod) is { } failing ? [failing] : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
