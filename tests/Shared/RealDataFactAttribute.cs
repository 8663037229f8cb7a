using Xunit.Abstractions;
using Xunit.Sdk;

namespace ValidationLab.Testing;

/// <summary>
/// Whether the shared real data a test needs is present, and what to do when it is not. On a developer machine
/// without ../shared/data a real-data test is skipped with a visible reason; when the environment variable CI is set
/// (to anything non-empty) it fails instead, because a CI run that skipped its real-data checks would pass hollow.
/// </summary>
internal static class RealData
{
    /// <summary>The phrase every "data absent" skip reason starts with; .ci/run looks for it.</summary>
    public const string MissingMarker = "[real data missing]";

    public static bool UnderCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>
    /// Null when every path (relative to ../shared/data, or the folder itself when none is given) exists; otherwise
    /// the first absent one, as a full path.
    /// </summary>
    public static string? FirstMissing(IReadOnlyList<string> relativePaths)
    {
        if (TestRepository.TryRoot is null)
        {
            return $"(no ValidationLab.sln above {AppContext.BaseDirectory}, so no ../shared/data)";
        }

        var root = TestRepository.SharedData;
        if (relativePaths.Count == 0)
        {
            return Directory.Exists(root) ? null : root;
        }

        foreach (var relative in relativePaths)
        {
            var full = Path.GetFullPath(Path.Combine(root, relative));
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                return full;
            }
        }

        return null;
    }

    /// <summary>The first absent path and the skip reason an attribute takes: none when the data is there or CI is set.</summary>
    public static (string? Missing, string? Skip) Check(IReadOnlyList<string> relativePaths)
    {
        var missing = FirstMissing(relativePaths);
        return (missing, missing is not null && !UnderCi ? SkipReason(missing) : null);
    }

    public static string SkipReason(string missing) =>
        $"{MissingMarker} {missing} is absent; skipped because CI is unset (with CI set this test fails)";

    public static string FailureMessage(string missing) =>
        $"{MissingMarker} {missing} is absent and CI is set: a real-data check may not be skipped in CI; put the shared data at ../shared/data beside the repository";
}

/// <summary>
/// A fact that needs files under ../shared/data (paths relative to that folder; none = the folder itself). Absent data:
/// skipped with the path in the reason, or failed when CI is set. xunit 2 has no dynamic skip, so the check runs at
/// discovery. One attribute for every test project (compiled in from tests/Shared).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("ValidationLab.Testing.RealDataFactDiscoverer", TestAssembly.Name)]
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(params string[] relativePaths)
    {
        RelativePaths = relativePaths;
        (Missing, Skip) = RealData.Check(relativePaths);
    }

    public IReadOnlyList<string> RelativePaths { get; }

    /// <summary>The first absent path, or null when the data is there.</summary>
    public string? Missing { get; }
}

/// <summary>The theory counterpart of <see cref="RealDataFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("ValidationLab.Testing.RealDataTheoryDiscoverer", TestAssembly.Name)]
public sealed class RealDataTheoryAttribute : TheoryAttribute
{
    public RealDataTheoryAttribute(params string[] relativePaths)
    {
        RelativePaths = relativePaths;
        (Missing, Skip) = RealData.Check(relativePaths);
    }

    public IReadOnlyList<string> RelativePaths { get; }

    public string? Missing { get; }
}

/// <summary>Under CI with the data absent, the test becomes a failing test case carrying the reason.</summary>
public sealed class RealDataFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        RealDataDiscovery.MissingUnderCi(factAttribute) is { } missing
            ? [RealDataDiscovery.Failing(_sink, discoveryOptions, testMethod, missing)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

/// <summary>Under CI with the data absent, the theory becomes one failing test case carrying the reason.</summary>
public sealed class RealDataTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    private readonly IMessageSink _sink = diagnosticMessageSink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        RealDataDiscovery.MissingUnderCi(theoryAttribute) is { } missing
            ? [RealDataDiscovery.Failing(_sink, discoveryOptions, testMethod, missing)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

internal static class RealDataDiscovery
{
    public static string? MissingUnderCi(IAttributeInfo attribute)
    {
        if (!RealData.UnderCi)
        {
            return null;
        }

        var paths = attribute.GetConstructorArguments().FirstOrDefault() as string[] ?? [];
        return RealData.FirstMissing(paths);
    }

    public static IXunitTestCase Failing(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod testMethod, string missing) =>
        new ExecutionErrorTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), testMethod, RealData.FailureMessage(missing));
}
