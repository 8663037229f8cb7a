using Xunit.Abstractions;
using Xunit.Sdk;

namespace ValidationLab.Store.Tests;

/// <summary>Marks a conformance test class that runs against PostgreSQL: its <see cref="StoreFactAttribute"/> tests need the test server.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PostgresBackendAttribute : Attribute;

/// <summary>
/// A conformance fact, declared once in <see cref="StoreConformanceTests"/> and run by each backend's subclass: in a
/// class marked <see cref="PostgresBackendAttribute"/> without the test server it is skipped with a visible reason
/// outside CI and fails under CI (as <see cref="PostgresFactAttribute"/>); elsewhere it is a plain fact.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("ValidationLab.Store.Tests.StoreFactDiscoverer", ValidationLab.Testing.TestAssembly.Name)]
public sealed class StoreFactAttribute : FactAttribute;

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var needsServer = testMethod.TestClass.Class.GetCustomAttributes(typeof(PostgresBackendAttribute)).Any();
        if (!needsServer || TestPostgres.ConnectionString is not null)
        {
            return base.Discover(discoveryOptions, testMethod, factAttribute);
        }

        return TestPostgres.FailingUnderCi(_sink, discoveryOptions, testMethod) is { } failing
            ? [failing]
            : [new XunitSkippedDataRowTestCase(_sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, TestPostgres.SkipReason)];
    }
}
