using System.Reflection;
using ValidationLab.Errors;
using ValidationLab.Runners;
using ValidationLab.Suites;

namespace ValidationLab.Discovery;

/// <summary>
/// The suites and runners this installation has, found through <see cref="SuiteFactoryAttribute"/> and
/// <see cref="RunnerFactoryAttribute"/> on assemblies. Discovery never throws: a plug-in that fails to load is
/// recorded in <see cref="Problems"/> and the others remain usable (one bad plug-in does not sink the run).
/// </summary>
public sealed class PluginCatalog
{
    private readonly SortedDictionary<string, ISuiteFactory> _suites = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, IRunnerFactory> _runners = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];

    public IReadOnlyDictionary<string, ISuiteFactory> Suites => _suites;

    public IReadOnlyDictionary<string, IRunnerFactory> Runners => _runners;

    /// <summary>Plug-ins that could not be loaded, in plain words.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>
    /// Every ValidationLab.*.dll beside the application plus the assemblies already loaded. Suites live in their
    /// own projects and are copied next to the CLI, so a new suite needs no edit here.
    /// </summary>
    public static PluginCatalog Discover(string? directory = null)
    {
        var registry = new PluginCatalog();
        var dir = directory ?? AppContext.BaseDirectory;
        var assemblies = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!loaded.IsDynamic && loaded.GetName().Name is { } name && name.StartsWith("ValidationLab.", StringComparison.Ordinal))
            {
                assemblies[name] = loaded;
            }
        }

        foreach (var file in Directory.EnumerateFiles(dir, "ValidationLab.*.dll").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (assemblies.ContainsKey(name))
            {
                continue;
            }

            try
            {
                assemblies[name] = Assembly.Load(AssemblyName.GetAssemblyName(file));
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                registry._problems.Add($"{Path.GetFileName(file)} could not be loaded: {ex.Message}");
            }
        }

        foreach (var assembly in assemblies.Values.OrderBy(a => a.GetName().Name, StringComparer.Ordinal))
        {
            registry.AddFrom(assembly);
        }

        return registry;
    }

    /// <summary>Register every factory an assembly declares.</summary>
    public void AddFrom(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var attribute in assembly.GetCustomAttributes<SuiteFactoryAttribute>())
        {
            if (TryCreate<ISuiteFactory>(attribute.FactoryType) is { } factory)
            {
                Add(factory);
            }
        }

        foreach (var attribute in assembly.GetCustomAttributes<RunnerFactoryAttribute>())
        {
            if (TryCreate<IRunnerFactory>(attribute.FactoryType) is { } factory)
            {
                Add(factory);
            }
        }
    }

    public void Add(ISuiteFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!_suites.TryAdd(factory.Name, factory))
        {
            _problems.Add($"suite '{factory.Name}' is registered twice; {factory.GetType().FullName} was ignored");
        }
    }

    public void Add(IRunnerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!_runners.TryAdd(factory.Name, factory))
        {
            _problems.Add($"runner '{factory.Name}' is registered twice; {factory.GetType().FullName} was ignored");
        }
    }

    /// <summary>The suite factory, or an <see cref="InputException"/> listing the known names.</summary>
    public ISuiteFactory Suite(string name, string origin, long? line = null) =>
        _suites.TryGetValue(name, out var f) ? f
        : throw new InputException($"unknown suite '{name}' (known: {string.Join(", ", _suites.Keys)})", origin, line, "suite");

    /// <summary>The runner factory, or an <see cref="InputException"/> listing the known names.</summary>
    public IRunnerFactory Runner(string name, string origin, long? line = null) =>
        _runners.TryGetValue(name, out var f) ? f
        : throw new InputException($"unknown runner '{name}' (known: {string.Join(", ", _runners.Keys)})", origin, line, "runner");

    private T? TryCreate<T>(Type type)
        where T : class
    {
        try
        {
            if (Activator.CreateInstance(type) is T instance)
            {
                return instance;
            }

            _problems.Add($"{type.FullName} does not implement {typeof(T).Name}");
        }
        catch (Exception ex) when (ex is MissingMethodException or TargetInvocationException or TypeLoadException)
        {
            _problems.Add($"{type.FullName} could not be created: {ex.GetBaseException().Message}");
        }

        return null;
    }
}
